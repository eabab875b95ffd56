import type { Child } from '../child/child.js';
import { toMs } from '../options/duration.js';
import { checkAppMethod, checkParams, isProcwireError, type ProcwireError } from '../protocol/index.js';
import { checkCallOptions } from '../options/call-options.js';
import { planDispatch, strandedError } from './dispatch.js';
import { openJob, type Job } from './job.js';
import type { ResolvedPoolOptions } from './options.js';
import { poolError } from './pool-error.js';
import type { PoolHost, PoolStats, TaskOptions } from './pool-types.js';
import { beginRecycling, endRecycling, isDueForRecycling } from './recycle.js';
import { decideRetry } from './retry.js';
import { finishTask, killSlot, observeSlot, startingSlot, takeTask, type RecycleCause, type Slot } from './slot.js';
import { WorkerChildren } from './worker-children.js';
import { abortTask, requeueTask, startAttempt } from './task.js';

export type { PoolHost, PoolStats, TaskOptions } from './pool-types.js';

/**
 * A task pool over identical workers, for proof checkers, compile workers, linters. Tasks
 * are JSON-RPC requests handed to an idle worker, or queued in FIFO order until one is
 * free. A worker that dies or times out mid-task is replaced and the task is tried again
 * elsewhere up to `retries` times; a task is answered once, and never run again once it
 * has succeeded. Workers that served `maxTasksPerWorker` tasks are replaced by fresh
 * processes, which frees what a long-lived toolchain leaks.
 *
 * This class only carries decisions out: which task goes where (dispatch.ts), what a failed
 * attempt leads to (retry.ts) and when a worker is recycled (recycle.ts) are pure functions
 * of the slot and task states (slot.ts, task.ts). The worker processes, one per slot, are
 * started and stopped by worker-children.ts.
 */
export class Pool {
  readonly id: string;
  /** Resolves once every worker has started (or failed to). */
  readonly ready: Promise<void>;
  readonly #options: ResolvedPoolOptions;
  readonly #slots: Slot[];
  readonly #children: WorkerChildren;
  #queue: Job[] = [];
  readonly #running = new Set<Job>();
  readonly #stats = { done: 0, failed: 0, retried: 0, recycled: 0 };
  /** Resolves the wait of close() once no task is queued or running. */
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  #deaths = 0;

  /** @internal Made by `sup.pool()`. */
  constructor(options: ResolvedPoolOptions, host: PoolHost) {
    this.id = options.id;
    this.#options = options;
    this.#slots = Array.from({ length: options.size }, () => startingSlot);
    this.#children = new WorkerChildren(options.id, options.size, host);
    const started = this.#slots.map((_, index) =>
      this.#children.start(index, options.spec, { ready: () => this.#dispatch(), dead: (e) => this.#bury(index, e) }),
    );
    this.ready = Promise.all(started).then(() => undefined);
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** The workers' Child handles, in slot order (a slot whose worker never started is absent). */
  get workers(): readonly Child[] {
    return this.#children.all;
  }

  /** Counters: queued and running now; done, failed, retried and recycled so far. */
  stats(): PoolStats {
    // A task whose caller has its answer is done, though its worker's slot is freed a turn later.
    let running = 0;
    for (const job of this.#running) if (job.state.kind !== 'settled') running++;
    return { queued: this.#queue.length, running, ...this.#stats };
  }

  /**
   * Runs one task: the request `method` on an idle worker, or queued until one is free.
   * Resolves with the worker's answer. Rejects with the worker's own error, ABORTED,
   * WORKER_DIED or TASK_TIMEOUT (with `workerId`) once the retries are used up, or STOPPED
   * when the pool closes first.
   */
  request<R = unknown>(method: string, params?: unknown, options: TaskOptions = {}): Promise<R> {
    // Checked here, at once: a task is sent from a later turn, where a throw would reach no caller.
    checkAppMethod(method);
    checkParams(method, params);
    checkCallOptions(`options of task "${method}" in pool "${this.id}"`, options);
    if (this.#closing) return Promise.reject(this.#error('STOPPED', `the pool is closed; "${method}" was not run`));
    const timeoutMs = options.timeout === undefined ? this.#options.taskTimeoutMs : toMs('timeout', options.timeout);
    const { signal } = options;
    if (signal?.aborted)
      return Promise.reject(this.#error('ABORTED', `task "${method}" was aborted before it was queued`));
    const { job, answer } = openJob<R>(
      { method, params, timeoutMs, signal },
      {
        aborted: (job) =>
          this.#abort(job, this.#error('ABORTED', `task "${method}" was aborted`, { cause: signal?.reason })),
        settled: (error) => void (error ? this.#stats.failed++ : this.#stats.done++),
      },
    );
    this.#queue.push(job);
    this.#dispatch();
    return answer;
  }

  /**
   * Sends a notification to every worker connected now; resolves with how many it reached. A
   * worker that is starting, restarting or being recycled does not get it, nor does one that
   * starts later: await `pool.ready` first, and give what every worker must know in the spec
   * (`env`, `args`) or have workers ask for it when they start. A bad method or params is a
   * TypeError, thrown at once.
   */
  broadcast(method: string, params?: unknown): Promise<number> {
    checkAppMethod(method);
    checkParams(method, params);
    return this.#broadcast(method, params);
  }

  async #broadcast(method: string, params: unknown): Promise<number> {
    const connected = this.workers.filter((child) => child.connected);
    const sent = await Promise.allSettled(connected.map((child) => child.sendNotification(method, params)));
    return sent.filter((result) => result.status === 'fulfilled').length;
  }

  /**
   * Closes the pool: new tasks are refused; queued and running ones finish first
   * (`drain`, the default) or are rejected with STOPPED at once (`cancel: true`, running
   * ones get `$/cancelRequest`). Then the workers are stopped and removed. Idempotent.
   */
  close(options: { cancel?: boolean } = {}): Promise<void> {
    this.#closing ??= this.#close(options.cancel === true);
    return this.#closing;
  }

  async #close(cancel: boolean): Promise<void> {
    if (cancel) {
      for (const job of [...this.#queue, ...this.#running])
        this.#abort(job, this.#error('STOPPED', `the pool closed before task "${job.method}" finished`));
    }
    if (this.#queue.length > 0 || this.#running.size > 0) await new Promise<void>((r) => (this.#drained = r));
    // Not after `ready`: a worker still starting (or hung before its ready, retried under its
    // policy) is stopped now, as any child's stop cancels its start. Every worker's Child
    // exists from the constructor on (spawn makes it before its first await).
    await this.#children.stopAll();
  }

  #bury(index: number, error: ProcwireError): void {
    this.#slots[index] = killSlot(this.#slot(index), error, ++this.#deaths);
    this.#dispatch();
  }

  /** Brings each slot up to date with its worker. */
  #observe(): void {
    for (const [index, slot] of this.#slots.entries())
      this.#slots[index] = observeSlot(slot, this.#children.isUp(index));
  }

  #dispatch(): void {
    this.#observe();
    const plan = planDispatch(this.#slots, this.#queue.length, this.#limits());
    if (plan.kind === 'send') for (const index of plan.slots) this.#run(index, this.#queue.shift() as Job);
    else {
      const stranded = { workerId: this.#children.idOf(plan.by), error: plan.error };
      for (const job of this.#queue.splice(0)) job.settle(strandedError(this.id, job.method, stranded));
    }
    if (this.#queue.length === 0 && this.#running.size === 0) this.#drained?.();
  }

  #run(index: number, job: Job): void {
    const attempt = new AbortController();
    job.state = startAttempt(job.state, index);
    job.attempt = attempt;
    this.#slots[index] = takeTask(this.#slot(index));
    this.#running.add(job);
    const timeout = job.timeoutMs === undefined ? {} : { timeout: job.timeoutMs };
    let sent: Promise<unknown>;
    try {
      sent = (this.#children.at(index) as Child).sendRequest(job.method, job.params, {
        signal: attempt.signal,
        ...timeout,
      });
    } catch (error) {
      sent = Promise.reject(error); // checked in request(); never thrown into a dispatch
    }
    sent
      .then(
        (result) => job.settle(undefined, result),
        (error: unknown) => this.#attemptFailed(index, job, error),
      )
      .finally(() => {
        this.#running.delete(job);
        this.#observe();
        this.#slots[index] = finishTask(this.#slot(index));
        if (isDueForRecycling(this.#slot(index), this.#limits())) this.#recycle(index, 'served');
        this.#dispatch();
      });
  }

  #attemptFailed(index: number, job: Job, error: unknown): void {
    const { state, method, timeoutMs } = job;
    if (state.kind !== 'running') return;
    const { attempt, aborted } = state;
    const worker = { poolId: this.id, ...this.#children.describe(index) };
    const decision = decideRetry({ ...worker, method, timeoutMs, attempt, aborted, error }, this.#limits());
    if (decision.replaceWorker) this.#recycle(index, 'stuck');
    if (decision.action === 'settle') {
      job.settle(decision.error);
      return;
    }
    this.#stats.retried++;
    job.state = requeueTask(state);
    this.#queue.unshift(job); // it already waited its turn
  }

  /** Takes the worker out of dispatch and restarts it as a fresh process. */
  #recycle(index: number, cause: RecycleCause): void {
    const child = this.#children.at(index);
    const recycling = beginRecycling(this.#slot(index), cause);
    if (!child || !recycling) return;
    this.#slots[index] = recycling;
    child.restart().then(
      () => {
        const slot = this.#slot(index);
        if (slot.kind === 'recycling' && slot.cause === 'served') this.#stats.recycled++;
        this.#slots[index] = endRecycling(slot);
        this.#dispatch();
      },
      (error: unknown) => this.#bury(index, isProcwireError(error) ? error : this.#error('WORKER_DIED', String(error))),
    );
  }

  #abort(job: Job, reason: ProcwireError): void {
    const step = abortTask(job.state, reason);
    if (step.action === 'cancel-attempt') {
      job.state = step.task;
      job.attempt?.abort(reason); // the request sends $/cancelRequest and rejects; #attemptFailed settles
    } else if (step.action === 'settle') {
      this.#queue = this.#queue.filter((queued) => queued !== job);
      job.settle(reason);
      this.#dispatch();
    }
  }

  /** What the decisions weigh besides slots and tasks. */
  #limits(): ResolvedPoolOptions & { closing: boolean } {
    return { ...this.#options, closing: this.closed };
  }

  #slot(index: number): Slot {
    return this.#slots[index] as Slot;
  }

  #error(code: ProcwireError['code'], what: string, details?: { cause?: unknown; workerId?: string }): ProcwireError {
    return poolError(this.id, code, what, details);
  }
}
