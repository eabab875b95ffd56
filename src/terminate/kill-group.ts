import { spawn } from 'node:child_process';

/**
 * Sends `signal` to the process group led by `pid` (children are spawned as group leaders,
 * so this reaches a toolchain's own subprocesses too). On Windows, where there are no
 * groups or signals, any terminating signal kills the tree with `taskkill /T /F`.
 * Returns false when no such group exists any more.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (process.platform === 'win32') {
    const taskkill = spawn('taskkill', ['/T', '/F', '/PID', String(pid)], { stdio: 'ignore', windowsHide: true });
    taskkill.on('error', () => undefined);
    return true;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM: the leader changed its group or the members belong to someone else; signal
    // the leader alone rather than give up.
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** True while any process of the group led by `pid` is alive (or unreapable by us). */
export function groupAlive(pid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
