import { EventEmitter } from 'node:events';
import {
  HandlerTable,
  ProcwireError,
  checkAppMethod,
  type Diagnostic,
  type LogEntry,
  type NotificationHandler,
  type PortInfo,
  type RequestHandler,
} from '../protocol/index.js';
import type { Endpoint } from '../endpoint/index.js';
import { RestartWindow } from '../restart/restart-window.js';
import { supervise } from '../restart/supervise.js';
import type { RunOutcome } from '../restart/policy.js';
import { signalGroup } from '../terminate/kill-group.js';
import type { ExitInfo, StopResult } from '../terminate/stop-result.js';
import type { ChildConnection, ConnectionHooks, RequestOptions } from './child-connection.js';
import { OrderedControls } from './ordered-controls.js';
import { overLimit } from './child-limits.js';
import { DiagnosticStore } from './diagnostic-store.js';
import { serveControl, type ControlTarget } from './sibling-control.js';
import { launch } from './launch.js';
import { describeExit, exitOf, terminateRun, type Run } from './run.js';
import { DRAIN_AFTER_EXIT_MS } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';
import type { StartGate } from './start-gate.js';
import type { ChildState, RestartInfo } from './state.js';
import { waitForPort, type WaitOptions } from './wait-for-port.js';

/** Events of a Child, with their arguments. */
export interface ChildEvents {
  state: [state: ChildState, previous: ChildState];
  ready: [];
  port: [port: PortInfo];
  /** A port went away with the process that bound it. */
  'port-removed': [port: PortInfo];
  /** One file's diagnostics changed; an empty list means the file has none now. */
  diagnostics: [file: string, diagnostics: readonly Diagnostic[]];
  log: [entry: LogEntry];
  stdout: [line: string];
  stderr: [line: string];
  exit: [exit: ExitInfo];
  /** The child ended by itself and its policy starts it again after a delay. */
  restart: [info: RestartInfo];
  /** The restart limit was reached; the child is `failed`. */
  'gave-up': [error: ProcwireError];
  /**
   * The child broke the protocol (a garbage or oversize frame, wrong params on a reserved
   * method) and its connection was closed. Not named 'error' so that an unheard event
   * cannot crash the parent.
   */
  'protocol-error': [error: ProcwireError];
}

/** Where live child processes are written down (stateDir), for orphan recovery. */
export interface Journal {
  record(id: string, pid: number, command: string): void;
  forget(pid: number): void;
}

interface Supervision {
  done: Promise<void>;
  ready: Promise<void>;
  abort: AbortController;
}

/**
 * One supervised child: its process, its connection, its state, and what it reported.
 * Obtained from `sup.spawn`. Its controls — start, stop, restart, signal — run one at a
 * time in call order, and a stop cancels a start or a backoff in progress.
 */
export class Child extends EventEmitter<ChildEvents> {
  readonly id: string;
  readonly spec: ResolvedSpec;
  readonly #endpoint: Endpoint;
  readonly #control: ControlTarget | undefined;
  readonly #journal: Journal | undefined;
  readonly #gate: StartGate;
  readonly #handlers: HandlerTable;
  readonly #controls = new OrderedControls();
  readonly #window: RestartWindow;
  #state: ChildState = { kind: 'starting', pid: undefined, reason: 'created' };
  #run: Run | undefined;
  #supervision: Supervision | undefined;
  /** Counts stop requests, so a start queued before a stop knows it was overtaken. */
  #stops = 0;
  #restarts = 0;
  #startedAt: Date | undefined;
  readonly #ports = new Map<string, PortInfo>();
  readonly #diagnostics: DiagnosticStore;

  /**
   * @internal Created by the Supervisor: `control` is what `allowControl` grants, `journal`
   * the stateDir record of live processes, `gate` the limit on starts shared by its children.
   */
  constructor(
    spec: ResolvedSpec,
    context: { endpoint: Endpoint; control: ControlTarget; journal: Journal | undefined; gate: StartGate },
  ) {
    super();
    this.id = spec.id;
    this.spec = spec;
    this.#endpoint = context.endpoint;
    this.#control = spec.allowControl ? context.control : undefined;
    this.#journal = context.journal;
    this.#gate = context.gate;
    this.#handlers = new HandlerTable(`the parent of child "${spec.id}"`);
    this.#window = new RestartWindow(spec.maxRestarts, spec.restartWindowMs);
    this.#diagnostics = new DiagnosticStore(spec.limits);
  }

  /** The current state; see ChildState. */
  get state(): ChildState {
    return this.#state;
  }

  /** The pid of the current process while it runs. Advisory: a pid may be reused after exit. */
  get pid(): number | undefined {
    return this.#run && exitOf(this.#run) === undefined ? this.#run.handle.pid : undefined;
  }

  /** When the current (or last) process was spawned. */
  get startedAt(): Date | undefined {
    return this.#startedAt;
  }

  /** Automatic restarts so far (restarts you ask for with `restart()` are not counted). */
  get restarts(): number {
    return this.#restarts;
  }

  /** True while the child's connection is open. */
  get connected(): boolean {
    const connection = this.#run?.connection;
    return connection !== undefined && !connection.closedSignal.aborted;
  }

  /** Ports the current process reported, by name; cleared when it exits. */
  get ports(): ReadonlyMap<string, PortInfo> {
    return this.#ports;
  }

  /** The child's current diagnostics, by file; kept until the next run starts. */
  get diagnostics(): ReadonlyMap<string, readonly Diagnostic[]> {
    return this.#diagnostics.files;
  }

  /**
   * Resolves with the port `name` once the child has reported it (at once if it has).
   * Rejects with TIMEOUT, ABORTED, or STOPPED when the child's process ends first.
   */
  waitForPort(name: string, options: WaitOptions = {}): Promise<PortInfo> {
    return waitForPort(this, name, options);
  }

  /**
   * Sends an application request and resolves with the child's result. Rejects with
   * NOT_CONNECTED, TIMEOUT, ABORTED, CONNECTION_CLOSED, or the child's ResponseError.
   */
  sendRequest<R = unknown>(method: string, params?: unknown, options?: RequestOptions): Promise<R> {
    try {
      return this.#connectionFor(method).sendRequest(method, params, options) as Promise<R>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends an application notification. Rejects with NOT_CONNECTED when there is no connection. */
  sendNotification(method: string, params?: unknown): Promise<void> {
    try {
      return this.#connectionFor(method).sendNotification(method, params);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Serves the child's requests for `method` with `handler` (one handler per method; a
   * later one replaces it) across restarts. Returns a function that removes it.
   */
  onRequest(method: string, handler: RequestHandler): () => void {
    return this.#handlers.onRequest(method, handler);
  }

  /** Calls `handler` for each of the child's notifications `method`. Returns a function that removes it. */
  onNotification(method: string, handler: NotificationHandler): () => void {
    return this.#handlers.onNotification(method, handler);
  }

  /**
   * Starts the child (a fresh restart budget; a running or starting child is left as it
   * is) and resolves when it is ready. Rejects with the start's ProcwireError: the code
   * of the failure under `restart: 'never'`, GAVE_UP when the policy's retries ran out,
   * STOPPED when a stop overtook it.
   */
  start(): Promise<void> {
    const stops = this.#stops;
    return this.#controls.run(() => this.#startNow(stops));
  }

  /**
   * Stops the child: `procwire/shutdown` when connected, then the stop signal to its
   * process group, then SIGKILL, each phase bounded by `stopTimeout`. Cancels a start or
   * a backoff in progress at once. Resolves with the StopResult of the process it ended
   * (or of the last one, if none was running).
   */
  stop(): Promise<StopResult> {
    this.#overtake();
    return this.#controls.run(() => this.#stopNow('stop requested'));
  }

  /**
   * Stops the child (as `stop`) and starts it again, in its turn after the controls before
   * it; resolves when it is ready. Not counted as an automatic restart.
   */
  restart(): Promise<void> {
    const stops = this.#stops;
    return this.#controls.run(async () => {
      await this.#stopNow('restart requested');
      await this.#startNow(stops);
    });
  }

  /**
   * Sends `signal` to the child's process group (e.g. SIGHUP to reload). Rejects with
   * NOT_RUNNING if no process runs.
   */
  signal(signal: NodeJS.Signals): Promise<void> {
    return this.#controls.run(async () => {
      const pid = this.pid;
      if (pid === undefined) {
        throw new ProcwireError(
          'NOT_RUNNING',
          `child "${this.id}" has no running process to send ${signal} to (state: ${this.#state.kind})`,
          {
            childId: this.id,
          },
        );
      }
      signalGroup(pid, signal);
    });
  }

  /** A stop cancels whatever start or backoff is in progress, and any start queued before it. */
  #overtake(): void {
    this.#stops++;
    this.#supervision?.abort.abort();
  }

  async #startNow(stopsWhenCalled: number): Promise<void> {
    if (this.#stops !== stopsWhenCalled) {
      throw new ProcwireError(
        'STOPPED',
        `child "${this.id}": a stop was requested after this start, so it did not run`,
        { childId: this.id },
      );
    }
    const current = this.#supervision;
    if (
      current &&
      !current.abort.signal.aborted &&
      (this.#state.kind === 'starting' || this.#state.kind === 'running' || this.#state.kind === 'backoff')
    ) {
      return current.ready;
    }
    this.#window.reset();
    const abort = new AbortController();
    let resolve!: () => void;
    let reject!: (error: ProcwireError) => void;
    const ready = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const done = supervise(this.#host(), abort.signal, { resolve, reject }).catch((error: unknown) => {
      // Only a throwing event listener of the application's can land here; do not let it
      // take the parent down, and do not leave the child looking alive.
      const failure = new ProcwireError(
        'GAVE_UP',
        `child "${this.id}": supervision stopped by an error: ${String(error)}`,
        {
          childId: this.id,
          cause: error,
        },
      );
      reject(failure);
      this.#setState({ kind: 'failed', exitCode: null, signal: null, error: failure, reason: failure.message });
    });
    this.#supervision = { done, ready, abort };
    return ready;
  }

  async #stopNow(reason: string): Promise<StopResult> {
    const supervision = this.#supervision;
    if (supervision) {
      if (this.#state.kind === 'starting' || this.#state.kind === 'backoff') {
        this.#setState({ kind: 'stopping', pid: this.pid, reason: `${reason} during ${this.#state.kind}` });
      }
      supervision.abort.abort();
      await supervision.done;
    }
    const run = this.#run;
    let result: StopResult;
    if (run === undefined) {
      result = { exitCode: null, signal: null, termination: 'indeterminate' };
    } else if (run.termination === undefined && exitOf(run) === undefined) {
      this.#setState({ kind: 'stopping', pid: run.handle.pid, reason });
      result = await terminateRun(run, this.spec, this.connected ? 'shutdown' : 'signal');
    } else if (run.termination !== undefined) {
      result = await run.termination;
    } else {
      result = { ...(exitOf(run) as ExitInfo), termination: 'clean' };
    }
    this.#setState({ kind: 'stopped', result, reason });
    return result;
  }

  /** The restart loop's view of this child. */
  #host() {
    const spec = this.spec;
    return {
      id: this.id,
      restart: spec.restart,
      maxRestarts: spec.maxRestarts,
      restartWindowMs: spec.restartWindowMs,
      backoff: spec.backoff,
      window: this.#window,
      launch: (aborted: AbortSignal) => {
        this.#clearDiagnostics();
        const why = this.#state.kind === 'backoff' ? 'restarting after backoff' : 'start requested';
        // Said here because the state stays `starting` while queued: a UI can show why nothing runs yet.
        const queued = this.#gate.full ? `; waiting for a start slot (maxConcurrentStarts is ${this.#gate.limit})` : '';
        this.#setState({ kind: 'starting', pid: undefined, reason: why + queued });
        return launch(
          {
            spec,
            endpoint: this.#endpoint,
            gate: this.#gate,
            output: { stdout: (line) => this.emit('stdout', line), stderr: (line) => this.emit('stderr', line) },
            spawned: (run) => this.#spawned(run, aborted),
            connectionHooks: (run) => this.#connectionHooks(run),
            hung: (run) => this.#hung(run),
          },
          aborted,
        );
      },
      ready: (run: Run) => {
        this.#setState({ kind: 'running', pid: run.handle.pid, reason: 'ready' });
        this.emit('ready');
      },
      watch: (run: Run, aborted: AbortSignal) => this.#watch(run, aborted),
      ended: (outcome: RunOutcome, error: ProcwireError | undefined) => {
        const exit = outcome.exit ?? { exitCode: null, signal: null };
        const reason = error?.message ?? describeExit(outcome.exit);
        if (error?.code === 'SPAWN_FAILED') this.#setState({ kind: 'failed', ...exit, error, reason });
        else this.#setState({ kind: 'exited', ...exit, ...(error ? { error } : {}), reason });
      },
      backingOff: (delayMs: number, outcome: RunOutcome, error: ProcwireError | undefined) => {
        this.#restarts++;
        const reason = error?.message ?? failureReason(outcome);
        this.emit('restart', { restarts: this.#restarts, delayMs, reason });
        this.#setState({
          kind: 'backoff',
          delayMs,
          until: new Date(Date.now() + delayMs),
          lastExit: outcome.exit,
          reason,
        });
      },
      gaveUp: (error: ProcwireError) => {
        this.#setState({
          kind: 'failed',
          exitCode: error.exitCode ?? null,
          signal: error.signal ?? null,
          error,
          reason: error.message,
        });
        this.emit('gave-up', error);
      },
    };
  }

  #spawned(run: Run, aborted: AbortSignal): void {
    this.#run = run;
    this.#journal?.record(this.id, run.handle.pid, this.spec.command);
    this.#startedAt = new Date();
    void run.handle.exited.then((exit) => this.#exited(run, exit));
    this.#setState(
      aborted.aborted
        ? { kind: 'stopping', pid: run.handle.pid, reason: 'spawned while a stop was waiting' }
        : { kind: 'starting', pid: run.handle.pid, reason: 'spawned' },
    );
  }

  /** Resolves with how a ready run ended; undefined when a stop aborted the watch. */
  #watch(run: Run, aborted: AbortSignal): Promise<RunOutcome | undefined> {
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(undefined);
      aborted.addEventListener('abort', onAbort, { once: true });
      void run.handle.exited.then((exit) => {
        aborted.removeEventListener('abort', onAbort);
        if (run.failure?.reason === 'hung') resolve({ kind: 'hung', exit });
        else if (run.failure?.reason === 'protocol') resolve({ kind: 'protocol-error', exit });
        else resolve({ kind: 'exit', exit });
      });
    });
  }

  #connectionHooks(run: Run): Omit<ConnectionHooks, 'ready' | 'heartbeat'> {
    return {
      port: (params) => {
        // Read after the process died: the port died with it.
        if (exitOf(run) !== undefined) return;
        const { ports: maxPorts } = this.spec.limits;
        if (this.#ports.size >= maxPorts && !this.#ports.has(params.name)) {
          throw overLimit(
            `procwire/port ${JSON.stringify(params.name.slice(0, 200))} would be port number ${maxPorts + 1}`,
            'ports',
            maxPorts,
            'report fewer distinct port names',
          );
        }
        const port: PortInfo = { name: params.name, port: params.port, host: params.host ?? '127.0.0.1' };
        if (params.protocol !== undefined) port.protocol = params.protocol;
        this.#ports.set(port.name, port);
        this.emit('port', port);
      },
      diagnostics: ({ file, diagnostics }) => {
        // A dead run's last words count (a crash diagnostic); a replaced run's do not.
        if (this.#run !== run) return;
        this.#diagnostics.replace(file, diagnostics);
        this.emit('diagnostics', file, diagnostics);
      },
      log: (entry) => this.emit('log', entry),
      request: (method, params, context) => this.#handlers.request(method, params, context),
      control: (method, params) => serveControl(this.#control, this.id, method, params),
      notification: (method, params) => this.#handlers.notify(method, params),
      protocolError: (error) => {
        run.failure ??= { reason: 'protocol', error };
        this.emit('protocol-error', error);
      },
      closed: () => {
        // A running child without its connection cannot be supervised as a connected
        // child. The SDK exits by itself when its socket closes: wait for that, then escalate.
        if (this.#run === run && this.#state.kind === 'running') void terminateRun(run, this.spec, 'wait');
      },
    };
  }

  #hung(run: Run): void {
    const error = new ProcwireError(
      'TIMEOUT',
      `child "${this.id}" sent no heartbeat for ${(2 * this.spec.heartbeatMs) / 1000} s ` +
        'and is taken to be hung; it is being stopped',
      { childId: this.id },
    );
    run.failure ??= { reason: 'hung', error };
    void terminateRun(run, this.spec, 'signal');
  }

  #exited(run: Run, exit: ExitInfo): void {
    this.#journal?.forget(run.handle.pid);
    run.heartbeat?.stop();
    run.connection?.closeWhenDrained(DRAIN_AFTER_EXIT_MS);
    this.emit('exit', exit);
    if (this.#run !== run) return;
    // The ports died with the process; a wait for one must not resolve with a dead port.
    for (const port of [...this.#ports.values()]) {
      this.#ports.delete(port.name);
      this.emit('port-removed', port);
    }
  }

  #clearDiagnostics(): void {
    for (const file of this.#diagnostics.clear()) this.emit('diagnostics', file, []);
  }

  #connectionFor(method: string): ChildConnection {
    checkAppMethod(method);
    const connection = this.#run?.connection;
    if (connection === undefined || connection.closedSignal.aborted) {
      throw new ProcwireError(
        'NOT_CONNECTED',
        `child "${this.id}" is not connected (state: ${this.#state.kind}); ` +
          `wait for it to be ready before calling "${method}"`,
        { childId: this.id },
      );
    }
    return connection;
  }

  #setState(next: ChildState): void {
    const previous = this.#state;
    this.#state = next;
    this.emit('state', next, previous);
  }
}

function failureReason(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case 'exit':
      return describeExit(outcome.exit);
    case 'hung':
      return 'it stopped sending heartbeats';
    case 'protocol-error':
      return 'it broke the protocol';
    case 'start-failed':
      return 'it failed to start';
  }
}
