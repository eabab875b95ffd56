import { newTask, settledTask, type TaskState } from './task.js';

/** A task as the pool shell holds it: its request, its state, its attempt's abort, its promise. */
export interface Job {
  readonly method: string;
  readonly params: unknown;
  readonly timeoutMs: number | undefined;
  state: TaskState;
  /** Aborts the attempt in progress (the user's signal, or close({ cancel })). */
  attempt: AbortController | undefined;
  /** Answers the task once: with `result`, or rejects with `error`; later calls do nothing. */
  settle(error: Error | undefined, result?: unknown): void;
}

/**
 * Opens a job for `method` and the promise of its answer. While the job is unsettled, an
 * abort of `signal` calls `hooks.aborted` (the listener is removed once it settles);
 * `hooks.settled` hears of the one settlement.
 */
export function openJob<R>(
  request: { method: string; params: unknown; timeoutMs: number | undefined; signal: AbortSignal | undefined },
  hooks: { aborted(job: Job): void; settled(error: Error | undefined): void },
): { job: Job; answer: Promise<R> } {
  const { method, params, timeoutMs, signal } = request;
  let job!: Job;
  const aborted = (): void => hooks.aborted(job);
  const answer = new Promise<R>((resolve, reject) => {
    job = {
      method,
      params,
      timeoutMs,
      state: newTask,
      attempt: undefined,
      settle: (error, result) => {
        if (job.state.kind === 'settled') return;
        job.state = settledTask;
        signal?.removeEventListener('abort', aborted);
        hooks.settled(error);
        if (error) reject(error);
        else resolve(result as R);
      },
    };
  });
  signal?.addEventListener('abort', aborted, { once: true });
  return { job, answer };
}
