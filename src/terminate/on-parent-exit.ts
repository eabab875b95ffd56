import { onExit } from 'signal-exit';
import { killTreeWindowsNow } from './kill-tree-windows.js';

/**
 * Kills the process groups of `livePids()` when this process exits: normally, by
 * process.exit, by an uncaught exception, or by SIGINT/SIGTERM/SIGHUP with no handler of
 * the application's. signal-exit covers the signal cases, which skip Node's 'exit' event.
 * An exit hook cannot wait, so the groups get SIGKILL at once; call `sup.shutdown()`
 * yourself for a graceful stop. Returns a function that removes the hook.
 */
export function killGroupsOnExit(livePids: () => Iterable<number>): () => void {
  return onExit(() => {
    for (const pid of livePids()) killGroupNow(pid);
  });
}

function killGroupNow(pid: number): void {
  if (process.platform === 'win32') {
    // Exit hooks are synchronous; wait for the tree kill rather than leave it half done.
    killTreeWindowsNow(pid);
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
