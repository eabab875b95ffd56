import { isProcwireError, type ProcwireError } from '../protocol/index.js';
import { poolError } from './pool-error.js';

/** Why an attempt failed: no answer in time, the worker went away, or the worker's own error. */
export type Failure = 'timeout' | 'died' | 'own';

/** Classifies the rejection of an attempt's request. */
export function classifyFailure(error: unknown): Failure {
  if (isProcwireError(error, 'TIMEOUT')) return 'timeout';
  if (isProcwireError(error, 'CONNECTION_CLOSED') || isProcwireError(error, 'NOT_CONNECTED')) return 'died';
  return 'own';
}

/** An attempt that came back rejected, and what the error messages need to name. */
export interface FailedAttempt {
  poolId: string;
  workerId: string;
  /** The worker's state now, to say what became of it; undefined when it has no child. */
  workerState: { readonly kind: string; readonly reason: string } | undefined;
  method: string;
  timeoutMs: number | undefined;
  /** Which attempt failed, 1 for the first. */
  attempt: number;
  /** Set when the task was aborted while this attempt ran. */
  aborted: ProcwireError | undefined;
  error: unknown;
}

/**
 * What to do after an attempt failed. An abort is the task's answer; so is the worker's own
 * error, which is never retried. A timeout or a dead worker is retried (queued again, at the
 * front) while attempts stay within `retries` and the pool is not closing, else the task
 * rejects with TASK_TIMEOUT or WORKER_DIED naming the worker and the attempt. A worker that
 * did not answer in time is replaced either way.
 */
export type RetryDecision =
  | { action: 'retry'; replaceWorker: boolean }
  | { action: 'settle'; error: Error; replaceWorker: boolean };

/** Decides the fate of a task whose attempt failed (see RetryDecision). */
export function decideRetry(failed: FailedAttempt, limits: { retries: number; closing: boolean }): RetryDecision {
  if (failed.aborted) return { action: 'settle', error: failed.aborted, replaceWorker: false };
  const failure = classifyFailure(failed.error);
  if (failure === 'own') return { action: 'settle', error: failed.error as Error, replaceWorker: false };
  const replaceWorker = failure === 'timeout';
  if (failed.attempt <= limits.retries && !limits.closing) return { action: 'retry', replaceWorker };
  return { action: 'settle', error: giveUpError(failed, failure), replaceWorker };
}

function giveUpError(failed: FailedAttempt, failure: 'timeout' | 'died'): ProcwireError {
  const { poolId, workerId, method, attempt, error: cause } = failed;
  if (failure === 'timeout') {
    return poolError(
      poolId,
      'TASK_TIMEOUT',
      `task "${method}" got no answer from worker ${workerId} within ${failed.timeoutMs} ms ` +
        `(attempt ${attempt}); the worker was restarted`,
      { cause, workerId },
    );
  }
  const state = failed.workerState;
  // A request fails with the connection, a moment before the exit is seen: `running` then
  // would describe a worker that is gone.
  const how =
    state === undefined
      ? ''
      : state.kind === 'running'
        ? '; its connection closed (the exit was not seen yet)'
        : `; worker state: ${state.kind} (${state.reason})`;
  return poolError(
    poolId,
    'WORKER_DIED',
    `worker ${workerId} died while running "${method}" (attempt ${attempt})${how}`,
    {
      cause,
      workerId,
    },
  );
}
