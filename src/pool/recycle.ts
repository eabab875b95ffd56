import type { RecycleCause, Slot } from './slot.js';

/**
 * Whether a slot is to be recycled now: it is up and idle, has served `maxTasksPerWorker`
 * tasks (a limit of 0 means never), and the pool is not closing (a closing pool stops its
 * workers anyway).
 */
export function isDueForRecycling(slot: Slot, limits: { maxTasksPerWorker: number; closing: boolean }): boolean {
  const max = limits.maxTasksPerWorker;
  return slot.kind === 'ready' && max > 0 && slot.served >= max && !limits.closing;
}

/**
 * The slot taken out of dispatch while the pool restarts its worker because it served its
 * share or was stuck on a task; undefined when it cannot be restarted: it is already being
 * restarted, or dead.
 */
export function beginRecycling(slot: Slot, cause: RecycleCause): Slot | undefined {
  if (slot.kind === 'recycling' || slot.kind === 'dead') return undefined;
  return { kind: 'recycling', running: slot.kind === 'ready' ? 0 : slot.running, cause };
}

/**
 * The slot once its worker restarted: starting again with a fresh process (the next look at
 * the worker makes it ready). A slot that died meanwhile stays dead.
 */
export function endRecycling(slot: Slot): Slot {
  return slot.kind === 'recycling' ? { kind: 'starting', running: slot.running } : slot;
}
