import { EventEmitter } from 'node:events';
import {
  HandlerTable,
  ProcwireError,
  checkAppMethod,
  checkParams,
  type Diagnostic,
  type NotificationHandler,
  type PortInfo,
  type RequestHandler,
} from '../protocol/index.js';
import type { Endpoint } from '../endpoint/index.js';
import { checkCallOptions, checkSignalName } from '../options/call-options.js';
import type { StopResult } from '../terminate/stop-result.js';
import type { ResolvedRuntime } from '../toolchain/index.js';
import type { ChildConnection, RequestOptions } from './child-connection.js';
import type { CycleEvent } from '../matchers/index.js';
import type { PortScanner } from '../discover/index.js';
import type { ChildEvents, ChildHealth } from './events.js';
import { Lifecycle, type Journal, type WaitForDependencies } from './lifecycle.js';
import { OrderedControls } from './ordered-controls.js';
import type { ControlTarget } from './sibling-control.js';
import type { ResolvedSpec } from './spec.js';
import type { StartGate } from './start-gate.js';
import type { ChildState } from './state.js';
import { waitForPort, type WaitOptions } from './wait-for-port.js';

export type { ChildEvents } from './events.js';
export type { Journal } from './lifecycle.js';

/**
 * One supervised child: its process, its connection, its state, and what it reported.
 * Obtained from `sup.spawn`. Its controls — start, stop, restart, signal — run one at a
 * time in call order, and a stop cancels a start or a backoff in progress. This is the
 * handle; the runs themselves belong to its Lifecycle.
 */
export class Child extends EventEmitter<ChildEvents> {
  readonly id: string;
  readonly spec: ResolvedSpec;
  readonly #handlers: HandlerTable;
  readonly #controls = new OrderedControls();
  readonly #lifecycle: Lifecycle;
  #lastCycle: Extract<CycleEvent, { phase: 'end' }> | undefined;

  /**
   * @internal Created by the Supervisor: `control` is what `allowControl` grants, `journal`
   * the stateDir record of live processes, `gate` the limit on starts shared by its children.
   */
  constructor(
    spec: ResolvedSpec,
    context: {
      endpoint: Endpoint;
      control: ControlTarget;
      journal: Journal | undefined;
      gate: StartGate;
      /** The wait for `spec.dependsOn` before each start; undefined without dependencies. */
      dependencies?: WaitForDependencies;
      /** The supervisor's port scanner (`spec.ports: 'auto'`). */
      ports: PortScanner;
    },
  ) {
    super();
    this.id = spec.id;
    this.spec = spec;
    this.#handlers = new HandlerTable(`the parent of child "${spec.id}"`);
    this.#lifecycle = new Lifecycle(spec, {
      endpoint: context.endpoint,
      gate: context.gate,
      journal: context.journal,
      control: spec.allowControl ? context.control : undefined,
      handlers: this.#handlers,
      dependencies: context.dependencies,
      ports: context.ports,
      // EventEmitter's typed emit takes the tuple from a conditional type TypeScript cannot match here.
      emit: (event, ...args) => this.emit(event as keyof ChildEvents, ...(args as never)),
    });
    // Registered first, so that a dependent hearing the same event sees the new value.
    this.on('cycle', (event) => {
      if (event.phase === 'end') this.#lastCycle = event;
    });
    this.on('state', (state) => {
      if (state.kind === 'starting' && state.pid === undefined) this.#lastCycle = undefined;
    });
  }

  /** The end of the current run's last watch cycle (its counts), for dependents waiting for a cycle. */
  get lastCycle(): Extract<CycleEvent, { phase: 'end' }> | undefined {
    return this.#lastCycle;
  }

  /**
   * 'healthy' or 'unhealthy' as the current run's health checks say; 'unknown' before the
   * first, without spec.health, and once its process has exited.
   */
  get health(): ChildHealth {
    return this.#lifecycle.health;
  }

  /** The current state; see ChildState. */
  get state(): ChildState {
    return this.#lifecycle.state;
  }

  /** The pid of the current process while it runs. Advisory: a pid may be reused after exit. */
  get pid(): number | undefined {
    return this.#lifecycle.pid;
  }

  /** When the current (or last) process was spawned. */
  get startedAt(): Date | undefined {
    return this.#lifecycle.startedAt;
  }

  /** Automatic restarts so far (restarts you ask for with `restart()` are not counted). */
  get restarts(): number {
    return this.#lifecycle.restarts;
  }

  /**
   * The runtime the current (or last) run uses: `{ name, version, path, source, pin, manager }`,
   * `source` being the pin file's path, `'spec'` or `'PATH'`. Undefined without `spec.runtime`.
   */
  get runtime(): ResolvedRuntime | undefined {
    return this.#lifecycle.runtime;
  }

  /** True while the child's connection is open. */
  get connected(): boolean {
    return this.#lifecycle.connection !== undefined;
  }

  /** Ports the current process reported, by name; cleared when it exits. */
  get ports(): ReadonlyMap<string, PortInfo> {
    return this.#lifecycle.reports.ports;
  }

  /** The child's current diagnostics, by file; kept until the next run starts. */
  get diagnostics(): ReadonlyMap<string, readonly Diagnostic[]> {
    return this.#lifecycle.reports.diagnostics;
  }

  /**
   * Resolves with the port `name` once the child has reported it (at once if it has).
   * Rejects with TIMEOUT, ABORTED, or STOPPED when the child's process ends first or the child
   * is (or becomes) stopped, exited or failed with no process to end (in backoff, or waiting to
   * spawn). Unknown option names are a TypeError.
   */
  waitForPort(name: string, options: WaitOptions = {}): Promise<PortInfo> {
    return waitForPort(this, name, options);
  }

  /**
   * Sends an application request and resolves with the child's result. Rejects with
   * NOT_CONNECTED, TIMEOUT, ABORTED, CONNECTION_CLOSED, or the child's ResponseError. A bad
   * method, params or option (an unknown name too) is a TypeError, thrown at once.
   */
  sendRequest<R = unknown>(method: string, params?: unknown, options?: RequestOptions): Promise<R> {
    // Bad arguments throw at once, as bad options do everywhere; only what happens on the way rejects.
    checkAppMethod(method);
    checkParams(method, params);
    checkCallOptions(`options of "${method}" for child "${this.id}"`, options);
    try {
      return this.#connectionFor(method).sendRequest(method, params, options) as Promise<R>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends an application notification. Rejects with NOT_CONNECTED when there is no connection. */
  sendNotification(method: string, params?: unknown): Promise<void> {
    checkAppMethod(method);
    checkParams(method, params);
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
    const stops = this.#lifecycle.stops;
    return this.#controls.run(() => this.#lifecycle.start(stops));
  }

  /**
   * Stops the child: `procwire/shutdown` when connected, then the stop signal to its
   * process group, then SIGKILL, each phase bounded by `stopTimeout`. Cancels a start or
   * a backoff in progress at once. Resolves with the StopResult of the process it ended
   * (or of the last one, if none was running).
   */
  stop(): Promise<StopResult> {
    this.#lifecycle.overtake();
    return this.#controls.run(() => this.#lifecycle.stop('stop requested'));
  }

  /**
   * Stops the child (as `stop`) and starts it again, in its turn after the controls before
   * it; resolves when it is ready. Not counted as an automatic restart.
   */
  restart(): Promise<void> {
    const stops = this.#lifecycle.stops;
    return this.#controls.run(async () => {
      await this.#lifecycle.stop('restart requested');
      await this.#lifecycle.start(stops);
    });
  }

  /**
   * Sends `signal` to the child's process group (e.g. SIGHUP to reload). Rejects with
   * NOT_RUNNING if no process runs. On Windows a terminating signal ends the process tree and
   * resolves once it is done; any other signal is not sent. A name Node does not know (a typo,
   * `'sighup'`, none at all) is a TypeError, thrown at once.
   */
  signal(signal: NodeJS.Signals): Promise<void> {
    checkSignalName(`the signal for child "${this.id}"`, signal);
    return this.#controls.run(async () => this.#lifecycle.signal(signal));
  }

  /** The connection to send `method` on (its callers have checked the method). */
  #connectionFor(method: string): ChildConnection {
    const connection = this.#lifecycle.connection;
    if (connection === undefined) {
      throw new ProcwireError(
        'NOT_CONNECTED',
        `child "${this.id}" is not connected (state: ${this.state.kind}); ` +
          `wait for it to be ready before calling "${method}"`,
        { childId: this.id },
      );
    }
    return connection;
  }
}
