import type { ProcwireError } from '../protocol/index.js';

/**
 * What the pool knows about one worker slot. `running` counts attempts sent to the slot that
 * have not come back yet; after the process went away they are still counted until their
 * requests reject (which is how the pool learns they failed). `served` counts attempts the
 * current process finished, for `maxTasksPerWorker`.
 *
 * - `starting`: its process is spawning, restarting under its policy, or lost its connection
 * - `ready`: up and idle
 * - `busy`: up and running 1 or more tasks
 * - `recycling`: the pool is restarting it as a fresh process, because it `served` its
 *   `maxTasksPerWorker` (counted in stats as recycled) or was `stuck` on a task
 * - `dead`: it could not be started, or gave up; it serves nothing more. `death` orders the
 *   deaths of a pool's slots (1 for the first), so the last one can be named.
 */
export type Slot =
  | { readonly kind: 'starting'; readonly running: number }
  | { readonly kind: 'ready'; readonly served: number }
  | { readonly kind: 'busy'; readonly running: number; readonly served: number }
  | { readonly kind: 'recycling'; readonly running: number; readonly cause: RecycleCause }
  | { readonly kind: 'dead'; readonly running: number; readonly error: ProcwireError; readonly death: number };

/** Why the pool restarts a worker. */
export type RecycleCause = 'served' | 'stuck';

/** A slot whose worker has not started yet. */
export const startingSlot: Slot = { kind: 'starting', running: 0 };

/** Attempts sent to the slot that have not come back. */
export function runningOn(slot: Slot): number {
  return slot.kind === 'ready' ? 0 : slot.running;
}

/**
 * The slot after looking at its worker: `up` is true when the child is running and
 * connected. A fresh process has served nothing; `recycling` and `dead` are the pool's own
 * decisions and do not follow the child.
 */
export function observeSlot(slot: Slot, up: boolean): Slot {
  if (slot.kind === 'starting' && up) {
    return slot.running > 0 ? { kind: 'busy', running: slot.running, served: 0 } : { kind: 'ready', served: 0 };
  }
  if ((slot.kind === 'ready' || slot.kind === 'busy') && !up) return { kind: 'starting', running: runningOn(slot) };
  return slot;
}

/** The slot after one more task was sent to it; only a `ready` or `busy` slot takes tasks. */
export function takeTask(slot: Slot): Slot {
  if (slot.kind === 'ready') return { kind: 'busy', running: 1, served: slot.served };
  if (slot.kind === 'busy') return { ...slot, running: slot.running + 1 };
  throw new Error(`a ${slot.kind} pool slot cannot take a task`);
}

/** The slot after an attempt sent to it came back, answered or not. */
export function finishTask(slot: Slot): Slot {
  if (slot.kind === 'ready') return slot;
  const running = Math.max(0, slot.running - 1);
  if (slot.kind !== 'busy') return { ...slot, running };
  const served = slot.served + 1;
  return running === 0 ? { kind: 'ready', served } : { kind: 'busy', running, served };
}

/** The slot once its worker could not start or gave up; the first death stands. */
export function killSlot(slot: Slot, error: ProcwireError, death: number): Slot {
  if (slot.kind === 'dead') return slot;
  return { kind: 'dead', running: runningOn(slot), error, death };
}
