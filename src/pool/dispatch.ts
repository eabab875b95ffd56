import type { ProcwireError } from '../protocol/index.js';
import { poolError } from './pool-error.js';
import { takeTask, type Slot } from './slot.js';

/** What dispatch weighs besides the slots. */
export interface DispatchLimits {
  /** Tasks one worker runs at once. */
  concurrency: number;
  /** Tasks one process serves before it is recycled; 0 for no limit. */
  maxTasksPerWorker: number;
  /** The pool is closing: it recycles no worker, so the limit above no longer holds tasks back. */
  closing: boolean;
}

/**
 * What to do with the queue now: send its first tasks, in order, to the slots listed (one
 * index per task, possibly fewer than the queue holds), or, when every slot is dead, reject
 * the whole queue naming the slot that died last.
 */
export type DispatchPlan = { kind: 'send'; slots: number[] } | { kind: 'stranded'; by: number; error: ProcwireError };

/**
 * Whether a slot takes another task: it is up (`ready` or `busy`), below `concurrency`, and
 * the tasks it served and runs stay within `maxTasksPerWorker`, so a worker with concurrency
 * above 1 drains and is recycled instead of serving past its limit.
 */
export function hasRoom(slot: Slot, limits: DispatchLimits): boolean {
  if (slot.kind !== 'ready' && slot.kind !== 'busy') return false;
  const running = slot.kind === 'busy' ? slot.running : 0;
  if (running >= limits.concurrency) return false;
  return limits.closing || limits.maxTasksPerWorker === 0 || slot.served + running < limits.maxTasksPerWorker;
}

/**
 * Plans dispatch of `queued` tasks (FIFO) over `slots`: each task goes to the first slot in
 * slot order that has room, counting the tasks planned before it.
 */
export function planDispatch(slots: readonly Slot[], queued: number, limits: DispatchLimits): DispatchPlan {
  const stranded = queued > 0 ? lastDeath(slots) : undefined;
  if (stranded) return { kind: 'stranded', ...stranded };
  const planned = [...slots];
  const picks: number[] = [];
  while (picks.length < queued) {
    const index = planned.findIndex((slot) => hasRoom(slot, limits));
    if (index < 0) break;
    planned[index] = takeTask(planned[index] as Slot);
    picks.push(index);
  }
  return { kind: 'send', slots: picks };
}

/** The slot that died last and why, if every slot is dead (and there is one). */
function lastDeath(slots: readonly Slot[]): { by: number; error: ProcwireError } | undefined {
  let last: { by: number; error: ProcwireError } | undefined;
  let latest = 0;
  for (const [index, slot] of slots.entries()) {
    if (slot.kind !== 'dead') return undefined;
    if (slot.death > latest) [last, latest] = [{ by: index, error: slot.error }, slot.death];
  }
  return last;
}

/** The rejection of a task left with no live worker to run it: WORKER_DIED naming the slot that died last. */
export function strandedError(
  poolId: string,
  method: string,
  stranded: { workerId: string; error: ProcwireError },
): ProcwireError {
  const { workerId, error } = stranded;
  return poolError(poolId, 'WORKER_DIED', `no live worker is left to run "${method}": ${error.message}`, {
    cause: error,
    workerId,
  });
}
