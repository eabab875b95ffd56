import { groupGone, signalGroup, signalGroupRemains } from './kill-group.js';
import { killTreeWindows, type TreeReach } from './kill-tree-windows.js';
import type { ExitInfo, StopResult } from './stop-result.js';

/** The process being stopped: its group leader's pid and the promise of its exit. */
export interface StopTarget {
  pid: number;
  exited: Promise<ExitInfo>;
  /**
   * True while `pid` is still the process meant. Our own child's pid stays ours until its
   * exit is seen, so this may be left out for it; a process found in a stateDir journal is
   * checked again (start time, group leader) before each signal. Once it is false or the
   * exit is seen, only the members left in the group are signalled (signalGroupRemains).
   */
  isLeader?: () => boolean;
}

/** How to stop: what the first phase is, the grace of each phase, and the signal. */
export interface EscalationPlan {
  /**
   * `shutdown`: ask politely with `requestShutdown` and wait; `wait`: the process is
   * expected to exit by itself (its connection is gone), just wait; `signal`: start
   * with the stop signal.
   */
  first: 'shutdown' | 'wait' | 'signal';
  requestShutdown?: () => Promise<unknown>;
  graceMs: number;
  stopSignal: NodeJS.Signals;
}

// After SIGKILL the kernel needs no grace, but a loaded machine may take a moment to
// deliver the exit; wait at least this long before calling the outcome indeterminate.
const KILL_WAIT_MS = 2_000;

/**
 * Stops a process group in phases, each bounded by the grace: the first phase of the plan,
 * then the stop signal to the group, then SIGKILL to the group. Whatever ends the leader,
 * the rest of its group is killed afterwards so that no grandchild survives the stop.
 */
export async function escalate(target: StopTarget, plan: EscalationPlan): Promise<StopResult> {
  let escalated = false;
  let exit: ExitInfo | undefined;
  // Set before any race on `exited` settles, as this reaction is registered first.
  let exitSeen = false;
  target.exited.then(
    () => {
      exitSeen = true;
    },
    () => undefined,
  );
  const leaderGone = (): boolean => exitSeen || !(target.isLeader?.() ?? true);
  // Windows has one way to end a process, and a tree kill that can fall short: every phase
  // that signals ends the tree, and whether any of them reached it is reported.
  const reaches: TreeReach[] = [];
  const signal = async (name: NodeJS.Signals): Promise<boolean> => {
    if (process.platform !== 'win32') {
      return leaderGone() ? signalGroupRemains(target.pid, name) : signalGroup(target.pid, name);
    }
    reaches.push(await killTreeWindows(target.pid, { leaderGone: leaderGone() }));
    return false;
  };
  try {
    if (plan.first === 'shutdown' && plan.requestShutdown) {
      plan.requestShutdown().catch(() => undefined);
      exit = await exitWithin(target, plan.graceMs);
    } else if (plan.first === 'wait') {
      exit = await exitWithin(target, plan.graceMs);
    }
    if (exit === undefined) {
      escalated = true;
      await signal(plan.stopSignal);
      exit = await exitWithin(target, plan.graceMs);
    }
    if (exit === undefined) {
      await signal('SIGKILL');
      exit = await exitWithin(target, Math.max(plan.graceMs, KILL_WAIT_MS));
    }
  } finally {
    // The leader is gone (or would not go); its subprocesses go now, and the stop is not
    // over until they have, so a restart cannot meet the old workers still holding a port.
    // With the leader reaped, its pid may be reused once the group is empty: only members
    // still in the group are signalled and waited for.
    const gone = leaderGone();
    if (await signal('SIGKILL')) await groupGone(target.pid, KILL_WAIT_MS, { leaderGone: gone });
  }
  const survivors = reaches.length > 0 && !reaches.includes('tree') ? { descendants: 'may-survive' as const } : {};
  if (exit === undefined) return { exitCode: null, signal: null, termination: 'indeterminate', ...survivors };
  return { ...exit, termination: escalated ? 'escalated' : 'clean', ...survivors };
}

async function exitWithin(target: StopTarget, ms: number): Promise<ExitInfo | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      target.exited,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, ms, undefined);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
