import { groupGone, signalGroupRemains } from './kill-group.js';

// As in escalate: after SIGKILL, a moment for a loaded machine to deliver the deaths.
const KILL_WAIT_MS = 2_000;

/**
 * After a group's leader exited by itself: ends what is left of its group as a stop would,
 * with `stopSignal` first and SIGKILL once `graceMs` has passed. Returns undefined when nothing
 * is left (found at once, so an empty group costs no wait), else a promise of whether it went.
 * A wrapper that exits (`sh -c 'server &'`, a crashed tool's workers) leaves nothing holding a
 * port for the next run, and nothing behind at shutdown. Only members still in the group are
 * signalled: the leader's pid is free (see signalGroupRemains). Windows has no process groups;
 * nothing is done there.
 */
export function endGroupRemains(
  pgid: number,
  stopSignal: NodeJS.Signals,
  graceMs: number,
): Promise<boolean> | undefined {
  if (process.platform === 'win32') return undefined;
  if (!signalGroupRemains(pgid, stopSignal)) return undefined;
  return (async () => {
    if (await groupGone(pgid, graceMs, { leaderGone: true })) return true;
    if (!signalGroupRemains(pgid, 'SIGKILL')) return true;
    return groupGone(pgid, KILL_WAIT_MS, { leaderGone: true });
  })();
}
