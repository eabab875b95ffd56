import type { Child } from '../child/child.js';
import type { ChildSpec } from '../child/spec.js';
import { toMs, type Duration } from '../options/duration.js';
import { ProcwireError, isProcwireError } from '../protocol/index.js';
import type { ResolvedPoolOptions } from './options.js';

/** Counters of a pool. */
export interface PoolStats {
  queued: number;
  running: number;
  done: number;
  failed: number;
  retried: number;
  recycled: number;
}

/** Limits of one task. */
export interface TaskOptions {
  /** Aborting cancels a queued task, or sends `$/cancelRequest` to the worker running it. */
  signal?: AbortSignal;
  /** Overrides the pool's taskTimeout for this task. */
  timeout?: Duration;
}

interface Task {
  method: string;
  params: unknown;
  timeoutMs: number | undefined;
  attempts: number;
  settled: boolean;
  /** Aborts the attempt in progress (the user's signal, or close({ cancel })). */
  attempt: AbortController | undefined;
  abortReason: ProcwireError | undefined;
  resolve(value: unknown): void;
  reject(error: ProcwireError | Error): void;
  cleanup(): void;
}

interface Worker {
  readonly id: string;
  child: Child | undefined;
  readonly running: Set<Task>;
  served: number;
  recycling: boolean;
  /** It could not be started, or gave up; it serves nothing more. */
  dead: ProcwireError | undefined;
}

/** What a pool needs from its supervisor. */
export interface PoolHost {
  spawn(spec: ChildSpec): Promise<Child>;
  /** A handle to the child as soon as it exists (before it is ready). */
  onChild(id: string, listener: (child: Child) => void): void;
  forget(id: string): void;
}

/**
 * A task pool over identical workers, for proof checkers, compile workers, linters. Tasks
 * are JSON-RPC requests handed to an idle worker, or queued in FIFO order until one is
 * free. A worker that dies or times out mid-task is replaced and the task is tried again
 * elsewhere up to `retries` times; a task is answered once, and never run again once it
 * has succeeded. Workers that served `maxTasksPerWorker` tasks are replaced by fresh
 * processes, which frees what a long-lived toolchain leaks.
 */
export class Pool {
  readonly id: string;
  /** Resolves once every worker has started (or failed to). */
  readonly ready: Promise<void>;
  readonly #options: ResolvedPoolOptions;
  readonly #host: PoolHost;
  readonly #workers: Worker[];
  #queue: Task[] = [];
  readonly #stats = { done: 0, failed: 0, retried: 0, recycled: 0 };
  readonly #drained = new Set<() => void>();
  #closing: Promise<void> | undefined;

  /** @internal Made by `sup.pool()`. */
  constructor(options: ResolvedPoolOptions, host: PoolHost) {
    this.id = options.id;
    this.#options = options;
    this.#host = host;
    this.#workers = Array.from({ length: options.size }, (_, i) => ({
      id: `${options.id}/${i + 1}`,
      child: undefined,
      running: new Set<Task>(),
      served: 0,
      recycling: false,
      dead: undefined,
    }));
    this.ready = Promise.all(this.#workers.map((worker) => this.#start(worker))).then(() => undefined);
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** The workers' Child handles, in slot order (a slot whose worker never started is absent). */
  get workers(): readonly Child[] {
    return this.#workers.flatMap((worker) => (worker.child ? [worker.child] : []));
  }

  /** Counters: queued and running now; done, failed, retried and recycled so far. */
  stats(): PoolStats {
    const running = this.#workers.reduce((sum, worker) => sum + worker.running.size, 0);
    return { queued: this.#queue.length, running, ...this.#stats };
  }

  /**
   * Runs one task: the request `method` on an idle worker, or queued until one is free.
   * Resolves with the worker's answer. Rejects with the worker's own error, ABORTED,
   * WORKER_DIED or TASK_TIMEOUT (with `workerId`) once the retries are used up, or STOPPED
   * when the pool closes first.
   */
  request<R = unknown>(method: string, params?: unknown, options: TaskOptions = {}): Promise<R> {
    if (this.#closing) return Promise.reject(this.#error('STOPPED', `the pool is closed; "${method}" was not run`));
    const timeoutMs = options.timeout === undefined ? this.#options.taskTimeoutMs : toMs('timeout', options.timeout);
    const { signal } = options;
    if (signal?.aborted)
      return Promise.reject(this.#error('ABORTED', `task "${method}" was aborted before it was queued`));
    return new Promise<R>((resolve, reject) => {
      const task: Task = {
        method,
        params,
        timeoutMs,
        attempts: 0,
        settled: false,
        attempt: undefined,
        abortReason: undefined,
        resolve: (value) => resolve(value as R),
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      const onAbort = (): void =>
        this.#abort(task, this.#error('ABORTED', `task "${method}" was aborted`, { cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(task);
      this.#dispatch();
    });
  }

  /** Sends a notification to every connected worker; resolves with how many it reached. */
  async broadcast(method: string, params?: unknown): Promise<number> {
    const sent = await Promise.allSettled(
      this.#workers
        .flatMap((worker) => (worker.child?.connected ? [worker.child] : []))
        .map((child) => child.sendNotification(method, params)),
    );
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
      const stopped = (task: Task): ProcwireError =>
        this.#error('STOPPED', `the pool closed before task "${task.method}" finished`);
      for (const task of [...this.#queue]) this.#abort(task, stopped(task));
      for (const worker of this.#workers) for (const task of [...worker.running]) this.#abort(task, stopped(task));
    }
    await this.#idle();
    await this.ready.catch(() => undefined);
    await Promise.all(this.#workers.map((worker) => worker.child?.stop()));
    for (const worker of this.#workers) this.#host.forget(worker.id);
  }

  #idle(): Promise<void> {
    if (this.#queue.length === 0 && this.stats().running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.add(resolve));
  }

  async #start(worker: Worker): Promise<void> {
    this.#host.onChild(worker.id, (child) => {
      worker.child = child;
      child.on('ready', () => this.#dispatch());
      child.on('gave-up', (error) => this.#bury(worker, error));
    });
    const spec = { restart: 'always' as const, ...this.#options.spec, id: worker.id } as ChildSpec;
    try {
      await this.#host.spawn(spec);
    } catch (error) {
      this.#bury(
        worker,
        isProcwireError(error)
          ? error
          : this.#error('SPAWN_FAILED', `worker ${worker.id} could not start: ${String(error)}`),
      );
    }
  }

  /** A worker that will serve nothing more; if none is left, queued tasks cannot run. */
  #bury(worker: Worker, error: ProcwireError): void {
    worker.dead = error;
    if (this.#workers.every((w) => w.dead)) {
      for (const task of [...this.#queue]) {
        this.#settle(
          task,
          this.#error('WORKER_DIED', `no live worker is left to run "${task.method}": ${error.message}`, {
            cause: error,
            workerId: worker.id,
          }),
        );
      }
    }
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#workers.find(
        (w) =>
          !w.dead &&
          !w.recycling &&
          w.child?.state.kind === 'running' &&
          w.child.connected &&
          w.running.size < this.#options.concurrency,
      );
      if (!worker) break;
      this.#run(worker, this.#queue.shift() as Task);
    }
    if (this.#queue.length === 0 && this.stats().running === 0) {
      for (const resolve of [...this.#drained]) resolve();
      this.#drained.clear();
    }
  }

  #run(worker: Worker, task: Task): void {
    const child = worker.child as Child;
    const attempt = new AbortController();
    task.attempts++;
    task.attempt = attempt;
    worker.running.add(task);
    child
      .sendRequest(task.method, task.params, {
        signal: attempt.signal,
        ...(task.timeoutMs === undefined ? {} : { timeout: task.timeoutMs }),
      })
      .then(
        (result) => this.#settle(task, undefined, result),
        (error: unknown) => this.#attemptFailed(worker, task, error),
      )
      .finally(() => {
        worker.running.delete(task);
        worker.served++;
        this.#maybeRecycle(worker);
        this.#dispatch();
      });
  }

  #attemptFailed(worker: Worker, task: Task, error: unknown): void {
    if (task.settled) return;
    if (task.abortReason) {
      this.#settle(task, task.abortReason);
      return;
    }
    const timedOut = isProcwireError(error, 'TIMEOUT');
    const died = isProcwireError(error, 'CONNECTION_CLOSED') || isProcwireError(error, 'NOT_CONNECTED');
    if (!timedOut && !died) {
      this.#settle(task, error as Error); // the worker's own answer
      return;
    }
    if (timedOut) this.#replace(worker, false); // a stuck worker is replaced
    if (task.attempts <= this.#options.retries && !this.#closing) {
      this.#stats.retried++;
      this.#queue.unshift(task); // it already waited its turn
      return;
    }
    const state = worker.child?.state;
    const how = state && 'reason' in state ? `; worker state: ${state.kind} (${state.reason})` : '';
    this.#settle(
      task,
      timedOut
        ? this.#error(
            'TASK_TIMEOUT',
            `task "${task.method}" got no answer from worker ${worker.id} within ${task.timeoutMs} ms ` +
              `(attempt ${task.attempts}); the worker was restarted`,
            { cause: error, workerId: worker.id },
          )
        : this.#error(
            'WORKER_DIED',
            `worker ${worker.id} died while running "${task.method}" (attempt ${task.attempts})${how}`,
            { cause: error, workerId: worker.id },
          ),
    );
  }

  #maybeRecycle(worker: Worker): void {
    const max = this.#options.maxTasksPerWorker;
    if (max === 0 || worker.served < max || worker.running.size > 0 || this.#closing) return;
    this.#replace(worker, true);
  }

  /** Takes the worker out of dispatch and restarts it as a fresh process. */
  #replace(worker: Worker, recycle: boolean): void {
    if (worker.recycling || !worker.child) return;
    worker.recycling = true;
    worker.child.restart().then(
      () => {
        if (recycle) this.#stats.recycled++;
        worker.served = 0;
        worker.recycling = false;
        this.#dispatch();
      },
      (error: unknown) => {
        worker.recycling = false;
        this.#bury(worker, isProcwireError(error) ? error : this.#error('WORKER_DIED', String(error)));
      },
    );
  }

  #abort(task: Task, reason: ProcwireError): void {
    if (task.settled) return;
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#settle(task, reason);
      this.#dispatch();
      return;
    }
    task.abortReason = reason;
    task.attempt?.abort(reason); // the request sends $/cancelRequest and rejects; #attemptFailed settles
  }

  #settle(task: Task, error: ProcwireError | Error | undefined, result?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.cleanup();
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) this.#queue.splice(queued, 1);
    if (error) {
      this.#stats.failed++;
      task.reject(error);
    } else {
      this.#stats.done++;
      task.resolve(result);
    }
  }

  #error(
    code: ProcwireError['code'],
    what: string,
    details: { cause?: unknown; workerId?: string } = {},
  ): ProcwireError {
    return new ProcwireError(code, `pool "${this.id}": ${what}`, details);
  }
}
