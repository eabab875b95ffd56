// Over 300 lines on purpose: this is the one owner of a run, so everything that watches a run
// (heartbeat, health checks, OS port discovery, matchers' output, dependencies, the runtime) is
// started and stopped here, and a run's beginning and end read in one place. The substance of
// each lives in its own module (health-watch.ts, os-ports.ts, run-output.ts, src/depends/, …).
import { ProcwireError, type HandlerTable } from '../protocol/index.js';
import type { Endpoint } from '../endpoint/index.js';
import type { SwitchedOff } from '../options/guarded-exec.js';
import { RestartWindow } from '../restart/restart-window.js';
import { supervise, type SupervisionHost } from '../restart/supervise.js';
import { signalTree } from '../terminate/kill-group.js';
import type { ExitInfo, StopResult } from '../terminate/stop-result.js';
import type { ChildConnection } from './child-connection.js';
import { connectionHooks } from './connection-hooks.js';
import type { ChildHealth, EmitChildEvent } from './events.js';
import { launch } from './launch.js';
import { startHealth } from './health-watch.js';
import { watchOsPorts } from './os-ports.js';
import type { PortScanner } from '../discover/index.js';
import { PortFeed } from './port-feed.js';
import { Reports } from './reports.js';
import { describeExit, endRunRemains, failureReason, terminateRun, watchRun, type Run } from './run.js';
import { RunOutput } from './run-output.js';
import type { ControlTarget } from './sibling-control.js';
import { DRAIN_AFTER_EXIT_MS } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';
import type { StartGate } from './start-gate.js';
import type { ChildState } from './state.js';
import type { ResolvedRuntime } from '../toolchain/index.js';

/** Where live child processes are written down (stateDir), for orphan recovery. */
export interface Journal {
  record(id: string, pid: number, command: string): void;
  forget(pid: number): void;
}

/** Waits, before each start, until the child's dependencies hold (see src/depends/); `waiting` hears why. */
export type WaitForDependencies = (aborted: AbortSignal, waiting: (reason: string) => void) => Promise<void>;

/** What a child's lifecycle works with, from its supervisor and its handle. */
export interface LifecycleDeps {
  endpoint: Endpoint;
  gate: StartGate;
  journal: Journal | undefined;
  /** What `allowControl` grants; undefined when the spec does not allow it. */
  control: ControlTarget | undefined;
  handlers: HandlerTable;
  emit: EmitChildEvent;
  dependencies?: WaitForDependencies | undefined;
  /** The supervisor's port scanner, shared by its children (`spec.ports: 'auto'`). */
  ports: PortScanner;
}

interface Supervision {
  done: Promise<void>;
  ready: Promise<void>;
  abort: AbortController;
}

/**
 * The one owner of a child's runs: it starts them under the restart policy (the supervise
 * loop), watches each to its end, stops them, and keeps the state and what they reported.
 * The Child handle orders the calls (one control at a time); this module does them.
 */
export class Lifecycle {
  readonly reports: Reports;
  readonly #spec: ResolvedSpec;
  readonly #deps: LifecycleDeps;
  readonly #window: RestartWindow;
  readonly #portFeed = new PortFeed(() => this.reports.ports);
  /** Regexps this child's runs found too slow: off for its later runs too. */
  readonly #switchedOff: SwitchedOff = new WeakSet();
  #state: ChildState = { kind: 'starting', pid: undefined, reason: 'created' };
  #run: Run | undefined;
  #output: RunOutput | undefined;
  #supervision: Supervision | undefined;
  #stops = 0;
  #restarts = 0;
  #startedAt: Date | undefined;
  #health: ChildHealth = 'unknown';
  #runtime: ResolvedRuntime | undefined;

  constructor(spec: ResolvedSpec, deps: LifecycleDeps) {
    this.#spec = spec;
    this.#deps = deps;
    this.#window = new RestartWindow(spec.maxRestarts, spec.restartWindowMs);
    this.reports = new Reports(spec.limits, {
      port: (port) => {
        deps.emit('port', port);
        this.#portFeed.notify(port);
      },
      portRemoved: (port) => deps.emit('port-removed', port),
      diagnostics: (file, list) => deps.emit('diagnostics', file, list),
    });
  }

  get state(): ChildState {
    return this.#state;
  }

  /** The current process's pid while it runs. */
  get pid(): number | undefined {
    return this.#run && this.#run.exit === undefined ? this.#run.handle.pid : undefined;
  }

  get health(): ChildHealth {
    return this.#health;
  }

  get startedAt(): Date | undefined {
    return this.#startedAt;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** The runtime the current (or last) run was resolved to; undefined without `spec.runtime`. */
  get runtime(): ResolvedRuntime | undefined {
    return this.#runtime;
  }

  /** Stops requested so far: a start queued before a stop sees the count move and does not run. */
  get stops(): number {
    return this.#stops;
  }

  /** The current run's connection while it is open. */
  get connection(): ChildConnection | undefined {
    const connection = this.#run?.connection;
    return connection !== undefined && !connection.closedSignal.aborted ? connection : undefined;
  }

  /** A stop cancels whatever start or backoff is in progress, and any start queued before it. */
  overtake(): void {
    this.#stops++;
    this.#supervision?.abort.abort();
  }

  /** Starts supervising (unless a start or run is under way); resolves at the first ready. */
  start(stopsWhenCalled: number): Promise<void> {
    if (this.#stops !== stopsWhenCalled) {
      return Promise.reject(this.#error('STOPPED', ': a stop was requested after this start, so it did not run'));
    }
    const current = this.#supervision;
    const kind = this.#state.kind;
    if (current && !current.abort.signal.aborted && (kind === 'starting' || kind === 'running' || kind === 'backoff')) {
      return current.ready;
    }
    this.#window.reset();
    const abort = new AbortController();
    let settle!: { resolve(): void; reject(error: ProcwireError): void };
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const done = supervise(this.#host(), abort.signal, settle).catch((error: unknown) => {
      // Only a throwing event listener of the application's can land here; do not let it
      // take the parent down, and do not leave the child looking alive.
      const failure = this.#error('GAVE_UP', `: supervision stopped by an error: ${String(error)}`, error);
      settle.reject(failure);
      this.#setState({ kind: 'failed', exitCode: null, signal: null, error: failure, reason: failure.message });
    });
    this.#supervision = { done, ready, abort };
    return ready;
  }

  /** Ends supervision and the current process (escalating); resolves with how it ended. */
  async stop(reason: string): Promise<StopResult> {
    const supervision = this.#supervision;
    if (supervision) {
      const { kind } = this.#state;
      if (kind === 'starting' || kind === 'backoff') {
        this.#setState({ kind: 'stopping', pid: this.pid, reason: `${reason} during ${kind}` });
      }
      supervision.abort.abort();
      await supervision.done;
    }
    const run = this.#run;
    let result: StopResult;
    if (run === undefined) {
      result = { exitCode: null, signal: null, termination: 'indeterminate' };
    } else if (run.termination === undefined && run.exit === undefined) {
      this.#setState({ kind: 'stopping', pid: run.handle.pid, reason });
      result = await terminateRun(run, this.#spec, this.connection ? 'shutdown' : 'signal');
    } else if (run.termination !== undefined) {
      result = await run.termination;
    } else {
      result = { ...(run.exit as ExitInfo), termination: 'clean' };
    }
    // A second stop changes nothing: no `state` event for a transition that is not one.
    if (this.#state.kind !== 'stopped') this.#setState({ kind: 'stopped', result, reason });
    return result;
  }

  /** Sends `signal` to the current process's group (see signalTree); NOT_RUNNING when none runs. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) {
      throw this.#error('NOT_RUNNING', `has no running process to send ${signal} to (state: ${this.#state.kind})`);
    }
    await signalTree(pid, signal);
  }

  /** The restart loop's view of this child. */
  #host(): SupervisionHost<Run> {
    const spec = this.#spec;
    return {
      id: spec.id,
      restart: spec.restart,
      maxRestarts: spec.maxRestarts,
      restartWindowMs: spec.restartWindowMs,
      backoff: spec.backoff,
      window: this.#window,
      launch: (aborted) => this.#launch(aborted),
      ready: (run) => {
        run.discovery?.settle();
        startHealth(this.#spec, run, {
          ports: () => this.reports.ports,
          changed: (health, detail) => this.#setHealth(health, detail),
          unhealthy: (unhealthyRun, detail) => this.#unhealthy(unhealthyRun, detail),
        });
        const runtime = this.#runtime;
        this.#setState({ kind: 'running', pid: run.handle.pid, reason: 'ready', ...(runtime ? { runtime } : {}) });
        this.#deps.emit('ready');
      },
      watch: (run, aborted) => watchRun(run, aborted),
      ended: (outcome, error) => {
        const exit = outcome.exit ?? { exitCode: null, signal: null };
        const reason = error?.message ?? describeExit(outcome.exit);
        // A command or runtime that cannot be found will not be found on a retry either; nor will
        // a dependency that failed for good come back.
        if (
          error?.code === 'SPAWN_FAILED' ||
          error?.code === 'TOOLCHAIN_NOT_FOUND' ||
          error?.code === 'DEPENDENCY_FAILED'
        )
          this.#setState({ kind: 'failed', ...exit, error, reason });
        else this.#setState({ kind: 'exited', ...exit, ...(error ? { error } : {}), reason });
      },
      backingOff: (delayMs, outcome, error) => {
        this.#restarts++;
        const reason = error?.message ?? failureReason(outcome);
        this.#deps.emit('restart', { restarts: this.#restarts, delayMs, reason });
        const until = new Date(Date.now() + delayMs);
        this.#setState({ kind: 'backoff', delayMs, until, lastExit: outcome.exit, reason });
      },
      gaveUp: (error) => {
        const { exitCode = null, signal = null } = error;
        this.#setState({ kind: 'failed', exitCode, signal, error, reason: error.message });
        this.#deps.emit('gave-up', error);
      },
    };
  }

  #launch(aborted: AbortSignal): Promise<Run> {
    // Before the start slot: a child that waits for others must not hold one.
    const dependencies = this.#deps.dependencies;
    if (dependencies === undefined) return this.#launchNow(aborted);
    const waiting = (reason: string): void => this.#setState({ kind: 'starting', pid: undefined, reason });
    return dependencies(aborted, waiting).then(() => this.#launchNow(aborted));
  }

  #launchNow(aborted: AbortSignal): Promise<Run> {
    // The last run's output must not report into the new run's diagnostics.
    this.#output?.retire();
    this.reports.clearDiagnostics();
    const { gate, endpoint, emit } = this.#deps;
    const output = new RunOutput(this.#spec, this.reports, emit, this.#switchedOff);
    this.#output = output;
    const why = this.#state.kind === 'backoff' ? 'restarting after backoff' : 'start requested';
    // Said here because the state stays `starting` while queued: a UI can show why nothing runs yet.
    const queued = gate.full ? `; waiting for a start slot (maxConcurrentStarts is ${gate.limit})` : '';
    this.#setState({ kind: 'starting', pid: undefined, reason: why + queued });
    const hooks = {
      output: output.sinks,
      signals: output.signals,
      ports: this.#portFeed.signals,
      resolved: (runtime: ResolvedRuntime | undefined) => {
        this.#runtime = runtime;
        if (runtime) emit('runtime', runtime);
      },
      spawned: (run: Run) => {
        this.#spawned(run, aborted);
        output.started(run.handle.process);
      },
      connection: (run: Run) =>
        connectionHooks(run, {
          childId: this.#spec.id,
          reports: this.reports,
          handlers: this.#deps.handlers,
          control: this.#deps.control,
          isCurrent: (candidate) => this.#run === candidate,
          log: (entry) => emit('log', entry),
          protocolError: (error) => emit('protocol-error', error),
          closed: (closedRun) => {
            // A running child without its connection cannot be supervised as a connected
            // child. The SDK exits by itself when its socket closes: wait for that, then escalate.
            if (this.#run === closedRun && this.#state.kind === 'running')
              void terminateRun(closedRun, this.#spec, 'wait');
          },
        }),
      hung: (run: Run) => this.#hung(run),
    };
    return launch({ spec: this.#spec, endpoint, gate, hooks }, aborted);
  }

  #spawned(run: Run, aborted: AbortSignal): void {
    this.#run = run;
    this.#deps.journal?.record(this.#spec.id, run.handle.pid, this.#spec.command);
    this.#startedAt = new Date();
    this.#setHealth('unknown', 'a new process started');
    run.discovery = watchOsPorts(this.#spec, run.handle.pid, this.reports, this.#deps.emit, this.#deps.ports);
    void run.handle.exited.then((exit) => this.#exited(run, exit));
    this.#setState(
      aborted.aborted
        ? { kind: 'stopping', pid: run.handle.pid, reason: 'spawned while a stop was waiting' }
        : { kind: 'starting', pid: run.handle.pid, reason: 'spawned' },
    );
  }

  /** A new run is not known to be healthy yet. */
  #setHealth(health: ChildHealth, detail: string): void {
    if (this.#health === health) return;
    this.#health = health;
    this.#deps.emit('health', health, detail);
  }

  /** Failed health checks: the run is judged unhealthy and stopped; the policy decides on a restart. */
  #unhealthy(run: Run, detail: string): void {
    const error = this.#error('UNHEALTHY', `is unhealthy (${detail}); it is being stopped`);
    run.condemn({ reason: 'unhealthy', error, detail });
    void terminateRun(run, this.#spec, 'signal');
  }

  #hung(run: Run): void {
    const seconds = (2 * this.#spec.heartbeatMs) / 1000;
    const error = this.#error(
      'TIMEOUT',
      `sent no heartbeat for ${seconds} s and is taken to be hung; it is being stopped`,
    );
    run.condemn({ reason: 'hung', error });
    // Said before the stop, as an unhealthy run's health event is: its exit alone (killed by
    // SIGTERM, our own signal) would not say why.
    this.#deps.emit('log', { level: 'warn', message: `procwire: ${error.message}` });
    void terminateRun(run, this.#spec, 'signal');
  }

  #exited(run: Run, exit: ExitInfo): void {
    // Before anything that waits for the run's end can look (watchRun): what its process left
    // running in its group goes too.
    endRunRemains(run, this.#spec, exit);
    this.#deps.journal?.forget(run.handle.pid);
    run.heartbeat?.stop();
    run.discovery?.stop();
    run.stopHealth?.();
    run.connection?.closeWhenDrained(DRAIN_AFTER_EXIT_MS);
    // A one-shot compiler is read at its exit: what its matchers found must be in by then.
    if (this.#run === run) this.#output?.settle();
    this.#deps.emit('exit', exit);
    // The ports died with the process; a wait for one must not resolve with a dead port.
    if (this.#run === run) this.reports.removeAllPorts();
    // Nothing is known of the health of a process that is gone.
    if (this.#run === run) this.#setHealth('unknown', 'its process exited');
  }

  #setState(next: ChildState): void {
    const previous = this.#state;
    this.#state = next;
    this.#deps.emit('state', next, previous);
  }

  #error(code: ProcwireError['code'], what: string, cause?: unknown): ProcwireError {
    const childId = this.#spec.id;
    return new ProcwireError(code, `child "${childId}" ${what}`, {
      childId,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
