import { onExit } from 'signal-exit';
import { killTreesWindowsNow } from './kill-tree-windows.js';

/**
 * Kills the process groups of `livePids()` when this process exits: normally, by
 * process.exit, by an uncaught exception, or by SIGINT/SIGTERM/SIGHUP with no handler of
 * the application's. signal-exit covers the signal cases, which skip Node's 'exit' event.
 * An exit hook cannot wait, so the groups get SIGKILL at once; call `sup.shutdown()`
 * yourself for a graceful stop. Returns a function that removes the hook.
 */
export function killGroupsOnExit(livePids: () => Iterable<number>): () => void {
  return onExit(() => {
    // Exit hooks are synchronous; on Windows wait for the tree kill rather than leave it half done.
    if (process.platform === 'win32') killTreesWindowsNow([...livePids()]);
    else for (const pid of livePids()) killGroupNow(pid);
  });
}

function killGroupNow(pid: number): void {
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
