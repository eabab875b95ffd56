import type { ProcwireError } from '../protocol/index.js';

/**
 * Where a pool task is.
 *
 * - `queued`: waiting for a slot; `attempts` it already made (0, or more after a retry)
 * - `running`: attempt number `attempt` (1 for the first) is on slot `slot`; `aborted` is
 *   set once the task was aborted while running, and is its answer when the attempt ends
 * - `settled`: answered or rejected, once; nothing changes it again
 */
export type TaskState =
  | { readonly kind: 'queued'; readonly attempts: number }
  | { readonly kind: 'running'; readonly slot: number; readonly attempt: number; readonly aborted?: ProcwireError }
  | { readonly kind: 'settled' };

/** A task that has not been tried yet. */
export const newTask: TaskState = { kind: 'queued', attempts: 0 };

/** The task once its next attempt is sent to slot `slot`; only a queued task can start one. */
export function startAttempt(task: TaskState, slot: number): TaskState {
  if (task.kind !== 'queued') throw new Error(`a ${task.kind} pool task cannot start an attempt`);
  return { kind: 'running', slot, attempt: task.attempts + 1 };
}

/** The task back in the queue after its attempt failed, keeping count of its attempts. */
export function requeueTask(task: TaskState): TaskState {
  if (task.kind !== 'running') throw new Error(`a ${task.kind} pool task cannot be queued again`);
  return { kind: 'queued', attempts: task.attempt };
}

/**
 * What an abort does to a task: a queued one is settled with `reason` at once, a running one
 * keeps running until its cancelled attempt comes back (then `reason` is its answer), a
 * settled one is left alone. The first abort's reason stands.
 */
export function abortTask(
  task: TaskState,
  reason: ProcwireError,
): { action: 'settle' } | { action: 'cancel-attempt'; task: TaskState } | { action: 'none' } {
  if (task.kind === 'queued') return { action: 'settle' };
  if (task.kind === 'settled') return { action: 'none' };
  return { action: 'cancel-attempt', task: task.aborted ? task : { ...task, aborted: reason } };
}

/** A task that was answered or rejected. */
export const settledTask: TaskState = { kind: 'settled' };
