import { EventEmitter } from 'node:events';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import {
  Env,
  ProcwireError,
  checkAppMethod,
  type Diagnostic,
  HandlerTable,
  type RequestHandler,
  type NotificationHandler,
  type LogEntry,
  type PortInfo,
} from '../protocol/index.js';
import type { AcceptedConnection, Endpoint, Expectation } from '../endpoint/index.js';
import { makeToken } from '../endpoint/index.js';
import { escalate } from '../terminate/escalate.js';
import type { ExitInfo, StopResult } from '../terminate/stop-result.js';
import { ChildConnection, type RequestOptions } from './child-connection.js';
import { spawnProcess, type ProcessHandle } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';
import type { ChildState } from './state.js';
import { waitForPort, type WaitOptions } from './wait-for-port.js';

/** Events of a Child, with their arguments. */
export interface ChildEvents {
  state: [state: ChildState, previous: ChildState];
  ready: [];
  port: [port: PortInfo];
  diagnostics: [file: string, diagnostics: readonly Diagnostic[]];
  log: [entry: LogEntry];
  stdout: [line: string];
  stderr: [line: string];
  exit: [exit: ExitInfo];
  /**
   * The child broke the protocol (a garbage or oversize frame, wrong params on a reserved
   * method) and its connection was closed. Not named 'error' so that an unheard event
   * cannot crash the parent.
   */
  'protocol-error': [error: ProcwireError];
}


/** One live process of the child and what belongs to it alone. */
interface Run {
  handle: ProcessHandle;
  connection: ChildConnection | undefined;
  termination: Promise<StopResult> | undefined;
}

/**
 * One supervised child: its process, its connection, its state, and what it reported.
 * Obtained from `sup.spawn`; the supervisor owns its lifecycle.
 */
export class Child extends EventEmitter<ChildEvents> {
  readonly id: string;
  readonly spec: ResolvedSpec;
  readonly #endpoint: Endpoint;
  #state: ChildState = { kind: 'starting', pid: undefined, reason: 'created' };
  #run: Run | undefined;
  #startedAt: Date | undefined;
  #stopping: Promise<StopResult> | undefined;
  /** The start in progress; a stop aborts it and waits for it to let go of its process. */
  #starting: { promise: Promise<void>; abort: AbortController } | undefined;
  readonly #ports = new Map<string, PortInfo>();
  readonly #diagnostics = new Map<string, readonly Diagnostic[]>();
  readonly #handlers: HandlerTable;

  /** @internal Created by the Supervisor. */
  constructor(spec: ResolvedSpec, endpoint: Endpoint) {
    super();
    this.id = spec.id;
    this.spec = spec;
    this.#endpoint = endpoint;
    this.#handlers = new HandlerTable(`the parent of child "${spec.id}"`);
  }

  /** The current state; see ChildState. */
  get state(): ChildState {
    return this.#state;
  }

  /** The pid of the live process, if any. Advisory: a pid may be reused after exit. */
  get pid(): number | undefined {
    return this.#run?.handle.pid;
  }

  /** When the current (or last) process was spawned. */
  get startedAt(): Date | undefined {
    return this.#startedAt;
  }

  /** True while the child's connection is open. */
  get connected(): boolean {
    const connection = this.#run?.connection;
    return connection !== undefined && !connection.closedSignal.aborted;
  }

  /** Ports the child reported, by name. */
  get ports(): ReadonlyMap<string, PortInfo> {
    return this.#ports;
  }

  /** The child's current diagnostics, by file. */
  get diagnostics(): ReadonlyMap<string, readonly Diagnostic[]> {
    return this.#diagnostics;
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
   * Stops the child: `procwire/shutdown` when connected, then the stop signal to its
   * process group, then SIGKILL, each phase bounded by `stopTimeout`. Resolves with the
   * StopResult; concurrent calls share it. A start in progress is cancelled.
   */
  stop(): Promise<StopResult> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  /** @internal Spawns the process and resolves when it is ready; rejects with a ProcwireError, the process gone. */
  start(): Promise<void> {
    const abort = new AbortController();
    const starting = this.#launch(abort.signal).finally(() => {
      if (this.#starting?.promise === starting) this.#starting = undefined;
    });
    this.#starting = { promise: starting, abort };
    return starting;
  }

  async #launch(aborted: AbortSignal): Promise<void> {
    this.#ports.clear();
    this.#diagnostics.clear();
    this.#setState({ kind: 'starting', pid: undefined, reason: 'start requested' });
    const token = makeToken();
    const expectation =
      this.spec.connect === 'required' ? this.#endpoint.expect(this.id, token, 0) : undefined;
    let handle: ProcessHandle;
    try {
      handle = await spawnProcess(
        this.spec,
        { [Env.socket]: this.#endpoint.address, [Env.id]: this.id, [Env.token]: token },
        { stdout: (line) => this.emit('stdout', line), stderr: (line) => this.emit('stderr', line) },
      );
    } catch (error) {
      expectation?.cancel();
      this.#setState({ kind: 'exited', exitCode: null, signal: null, error: error as ProcwireError, reason: 'spawn failed' });
      throw error;
    }
    const run: Run = { handle, connection: undefined, termination: undefined };
    this.#run = run;
    this.#startedAt = new Date();
    this.#setState(
      aborted.aborted
        ? { kind: 'stopping', pid: handle.pid, reason: 'spawned while a stop was waiting' }
        : { kind: 'starting', pid: handle.pid, reason: 'spawned' },
    );
    void handle.exited.then((exit) => this.#onExit(run, exit));
    try {
      await this.#untilReady(run, expectation, aborted);
    } catch (error) {
      expectation?.cancel();
      const stopped = error instanceof ProcwireError && error.code === 'STOPPED';
      // A start cancelled by stop() may be asked politely; a failed one gets signals.
      await this.#terminate(run, stopped && this.connected ? 'shutdown' : 'signal');
      // After a cancelled start, the stop that cancelled it publishes the final state.
      if (!stopped) {
        this.#setState({ kind: 'exited', exitCode: null, signal: null, ...exitOf(run), error: error as ProcwireError, reason: (error as Error).message });
      }
      throw error;
    }
    this.#setState({ kind: 'running', pid: handle.pid, reason: 'ready' });
    this.emit('ready');
  }

  async #untilReady(run: Run, expectation: Expectation | undefined, aborted: AbortSignal): Promise<void> {
    const cleanups: (() => void)[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (error: ProcwireError): void => reject(error);
        const timer = setTimeout(() => fail(this.#readyTimeout(expectation)), this.spec.readyTimeoutMs);
        cleanups.push(() => clearTimeout(timer));
        const onAbort = (): void => fail(this.#error('STOPPED', 'was stopped before it became ready'));
        if (aborted.aborted) onAbort();
        aborted.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => aborted.removeEventListener('abort', onAbort));
        let settled = false;
        cleanups.push(() => {
          settled = true;
        });
        void run.handle.exited.then(async (exit) => {
          await run.handle.drained;
          if (!settled) fail(this.#exitedBeforeReady(run, exit, expectation));
        });
        if (expectation === undefined) {
          resolve();
          return;
        }
        let protocolError: ProcwireError | undefined;
        const onProtocolError = (error: ProcwireError): void => {
          protocolError = error;
        };
        this.on('protocol-error', onProtocolError);
        cleanups.push(() => this.off('protocol-error', onProtocolError));
        void expectation.connected.then((accepted) => {
          if (settled) {
            accepted.socket.destroy();
            return;
          }
          run.connection = this.#connect(run, accepted, () => {
            if (!settled) resolve();
          });
          run.connection.closedSignal.addEventListener('abort', () => {
            // A connection lost before ready is fatal for this start; a broken protocol
            // says why, otherwise the exit that follows does.
            if (protocolError && !settled) fail(protocolError);
          });
        });
      });
    } finally {
      for (const cleanup of cleanups) cleanup();
    }
  }

  #connect(run: Run, accepted: AcceptedConnection, onReady: () => void): ChildConnection {
    return new ChildConnection(this.id, accepted, {
      ready: onReady,
      port: (params) => {
        const port: PortInfo = { name: params.name, port: params.port, host: params.host ?? '127.0.0.1' };
        if (params.protocol !== undefined) port.protocol = params.protocol;
        this.#ports.set(port.name, port);
        this.emit('port', port);
      },
      diagnostics: ({ file, diagnostics }) => {
        if (diagnostics.length === 0) this.#diagnostics.delete(file);
        else this.#diagnostics.set(file, diagnostics);
        this.emit('diagnostics', file, diagnostics);
      },
      log: (entry) => this.emit('log', entry),
      heartbeat: () => undefined,
      request: (method, params, context) => this.#handlers.request(method, params, context),
      notification: (method, params) => this.#handlers.notify(method, params),
      protocolError: (error) => this.emit('protocol-error', error),
      closed: () => this.#onDisconnect(run),
    });
  }

  #onDisconnect(run: Run): void {
    // A child without its connection cannot be supervised as a connected child. The SDK
    // exits by itself when its socket closes; wait for that, then escalate.
    if (this.#run === run && this.#state.kind === 'running') void this.#terminate(run, 'wait');
  }

  #onExit(run: Run, exit: ExitInfo): void {
    run.connection?.close();
    this.emit('exit', exit);
    if (this.#run !== run) return;
    if (this.#state.kind === 'running') {
      this.#setState({ kind: 'exited', exitCode: exit.exitCode, signal: exit.signal, reason: describeExit(exit) });
    }
  }

  async #stop(): Promise<StopResult> {
    const starting = this.#starting;
    if (starting) {
      this.#setState({ kind: 'stopping', pid: this.pid, reason: 'stop requested during start' });
      starting.abort.abort();
      await starting.promise.catch(() => undefined);
    }
    const run = this.#run;
    let result: StopResult;
    if (run === undefined) {
      result = { exitCode: null, signal: null, termination: 'indeterminate' };
    } else if (run.termination !== undefined) {
      result = await run.termination;
    } else if (exitOf(run) !== undefined) {
      result = { ...(exitOf(run) as ExitInfo), termination: 'clean' };
    } else {
      this.#setState({ kind: 'stopping', pid: run.handle.pid, reason: 'stop requested' });
      result = await this.#terminate(run, this.connected ? 'shutdown' : 'signal');
    }
    this.#setState({ kind: 'stopped', result, reason: 'stop requested' });
    return result;
  }

  /** Ends the run's process once, whoever asks first; later callers share the outcome. */
  #terminate(run: Run, first: 'shutdown' | 'wait' | 'signal'): Promise<StopResult> {
    run.termination ??= escalate(
      { pid: run.handle.pid, exited: run.handle.exited },
      {
        first,
        requestShutdown: () => run.connection?.requestShutdown() ?? Promise.resolve(),
        graceMs: this.spec.stopTimeoutMs,
        stopSignal: this.spec.stopSignal,
      },
    );
    return run.termination;
  }

  #connectionFor(method: string): ChildConnection {
    checkAppMethod(method);
    const connection = this.#run?.connection;
    if (connection === undefined || connection.closedSignal.aborted) {
      throw this.#error('NOT_CONNECTED', `is not connected (state: ${this.#state.kind}); wait for it to be ready before calling "${method}"`);
    }
    return connection;
  }

  #setState(next: ChildState): void {
    const previous = this.#state;
    this.#state = next;
    this.emit('state', next, previous);
  }

  #error(code: ProcwireError['code'], what: string, extra: Partial<ProcwireError> = {}): ProcwireError {
    return new ProcwireError(code, `child "${this.id}" ${what}`, { childId: this.id, ...extra });
  }

  #readyTimeout(expectation: Expectation | undefined): ProcwireError {
    const seconds = this.spec.readyTimeoutMs / 1000;
    const why =
      expectation?.lastRejection !== undefined
        ? ` (${expectation.lastRejection})`
        : this.connected
          ? ': it connected but never sent procwire/ready; call ready() in the child'
          : `: it never connected; check that it uses procwire/child and reads ${Env.socket}`;
    return this.#error('READY_TIMEOUT', `was not ready within ${seconds} s${why}. Raise readyTimeout if it needs longer`);
  }

  #exitedBeforeReady(run: Run, exit: ExitInfo, expectation: Expectation | undefined): ProcwireError {
    const tail = run.handle.stderrTail.lines;
    const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    const rejection = expectation?.lastRejection !== undefined ? ` (${expectation.lastRejection})` : '';
    const stderr =
      tail.length > 0
        ? `; last stderr lines:\n  ${tail.join('\n  ')}`
        : this.spec.stdio === 'pipe'
          ? '; it wrote nothing to stderr'
          : `; its stderr is not captured with stdio '${this.spec.stdio}'`;
    return this.#error('EXITED_BEFORE_READY', `${how} before it was ready${rejection}${stderr}`, {
      exitCode: exit.exitCode,
      signal: exit.signal,
      stderrTail: tail,
    });
  }
}


function exitOf(run: Run): ExitInfo | undefined {
  const { exitCode, signalCode } = run.handle.process;
  return exitCode === null && signalCode === null ? undefined : { exitCode, signal: signalCode };
}

function describeExit(exit: ExitInfo): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
}
