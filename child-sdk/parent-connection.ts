// Specific modules, not the protocol index: nothing here may load vscode-jsonrpc, which
// rpc-link.ts brings in after ready (a child's start is on the clock).
import { createCloseController } from '../src/protocol/wire/close-signal.js';
import { ProcwireError } from '../src/protocol/wire/errors.js';
import type { FrameChannel } from '../src/protocol/wire/frame-channel.js';
import { HandlerTable, type NotificationHandler, type RequestHandler } from '../src/protocol/wire/handler-table.js';
import { checkAppMethod, Features, Methods } from '../src/protocol/wire/methods.js';
import { checkParams } from '../src/protocol/wire/params.js';
import type { Diagnostic, HelloResult, LogLevel } from '../src/protocol/wire/types.js';
import { diagnosticProblem } from '../src/protocol/wire/validate.js';
import { checkKeys, checkRequestOptions, LOG_LEVELS } from './check-arguments.js';
import type { RpcLink } from './rpc-link.js';

/** Runs before the process exits on shutdown or when the parent is gone. */
export type ShutdownHandler = (reason: 'shutdown' | 'disconnect') => unknown;

// The parent that died expects us gone within 1 s; shutdown handlers get most of that.
const DISCONNECT_HANDLER_BUDGET_MS = 800;

/**
 * The child's connection to its supervisor. Report readiness, ports, diagnostics and logs;
 * serve the parent's requests and call it back. On `procwire/shutdown` the shutdown handlers
 * run, the request is answered, and the process exits; when the parent goes away the
 * handlers run (within 1 s) and the process exits, unless `exitOnDisconnect` is false.
 */
export class ParentConnection {
  /** This child's id, as the supervisor named it. */
  readonly id: string;
  readonly #channel: FrameChannel;
  readonly #hello: HelloResult;
  readonly #closed = createCloseController();
  #exitOnDisconnect: boolean;
  readonly #handlers: HandlerTable;
  readonly #shutdownHandlers: ShutdownHandler[] = [];
  readonly #disconnectHandlers = new Set<() => void>();
  #rpc: Promise<RpcLink> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #ending = false;
  #held = false;

  /** @internal Made by connect() once the hello is answered. */
  constructor(channel: FrameChannel, id: string, hello: HelloResult, options: { exitOnDisconnect: boolean }) {
    this.id = id;
    this.#channel = channel;
    this.#hello = hello;
    this.#exitOnDisconnect = options.exitOnDisconnect;
    this.#handlers = new HandlerTable(`child "${id}"`);
    channel.socket.on('error', () => undefined);
    channel.onClose(() => this.#onClose());
    channel.onError(() => channel.socket.destroy());
    if (hello.heartbeatMs > 0) {
      // A third of the period, so that one late beat is not taken for a hang.
      this.#heartbeat = setInterval(() => void this.#report(Methods.heartbeat, {}), hello.heartbeatMs / 3);
      this.#heartbeat.unref();
    }
    // JSON-RPC starts after the caller's first turn: `ready()` called right after connect()
    // goes out as a plain frame before vscode-jsonrpc is even loaded. Until then incoming
    // messages wait in the channel, in order.
    setImmediate(() => void this.#link().catch((error: unknown) => this.#linkFailed(error)));
  }

  /** @internal A connect() call asked for `exitOnDisconnect: false`: the process outlives its parent. */
  stayOnDisconnect(): void {
    this.#exitOnDisconnect = false;
  }

  /** The parent's process id, from the handshake. */
  get parentPid(): number {
    return this.#hello.parentPid;
  }

  /** Aborted when the connection to the parent has closed. */
  get closedSignal(): AbortSignal {
    return this.#closed.signal;
  }

  /**
   * Tells the parent this child is ready for work; `spawn` resolves on it. Like the other
   * reports, resolves true once written and false when the connection is closed: reports
   * are fire-and-forget, and must not crash a child with an unhandled rejection.
   */
  ready(): Promise<boolean> {
    return this.#report(Methods.ready, {});
  }

  /** Reports a port this child bound, so the parent can show and use it. */
  reportPort(name: string, port: number, options: { host?: string; protocol?: string } = {}): Promise<boolean> {
    if (typeof name !== 'string' || name.length === 0)
      throw new TypeError(`reportPort: name must be a non-empty string; got ${String(name)}`);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new TypeError(`reportPort: port must be an integer 0-65535; got ${String(port)}`);
    // Checked here, as the parent would: a wrong field there closes the connection, and the child with it.
    checkKeys('reportPort: options', options, ['host', 'protocol']);
    for (const key of ['host', 'protocol'] as const) {
      const value = options[key];
      if (value !== undefined && (typeof value !== 'string' || value.length === 0))
        throw new TypeError(`reportPort: options.${key} must be a non-empty string; got ${JSON.stringify(value)}`);
    }
    return this.#report(Methods.port, { name, port, ...options });
  }

  /**
   * Tells the parent that the port reported as `name` closed, so it stops showing it and a
   * `waitForPort(name)` waits for the next report. Resolves false when nothing was sent: the
   * connection is closed, or the parent is older than this message (it would close the
   * connection on it; a later `reportPort` with the same name still replaces the port there).
   */
  removePort(name: string): Promise<boolean> {
    if (typeof name !== 'string' || name.length === 0)
      throw new TypeError(`removePort: name must be a non-empty string; got ${String(name)}`);
    if (!this.#hello.features?.includes(Features.portRemoved)) return Promise.resolve(false);
    return this.#report(Methods.portRemoved, { name });
  }

  /** Replaces the parent's diagnostics for `file`; an empty array clears them. */
  publishDiagnostics(file: string, diagnostics: Diagnostic[]): Promise<boolean> {
    if (typeof file !== 'string' || file.length === 0)
      throw new TypeError('publishDiagnostics: file must be a non-empty string');
    if (!Array.isArray(diagnostics))
      throw new TypeError(
        `publishDiagnostics: diagnostics must be an array ([] clears the file); got ${typeof diagnostics}`,
      );
    for (const [index, diagnostic] of diagnostics.entries()) {
      const problem = diagnosticProblem(diagnostic);
      if (problem !== undefined) throw new TypeError(`publishDiagnostics: diagnostics[${index}]: ${problem}`);
    }
    return this.#report(Methods.diagnostics, { file, diagnostics });
  }

  /** Sends one log line to the parent; a level or message the parent would refuse is a TypeError. */
  log(level: LogLevel, message: string): Promise<boolean> {
    if (!LOG_LEVELS.includes(level))
      throw new TypeError(`log: level must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(level)}`);
    if (typeof message !== 'string') throw new TypeError(`log: message must be a string; got ${typeof message}`);
    return this.#report(Methods.log, { level, message });
  }

  /**
   * Sends an application request to the parent; rejects with TIMEOUT, ABORTED,
   * CONNECTION_CLOSED or the parent's error. A reserved or empty method, params that are not an
   * object or array, or a bad option (`timeout` is milliseconds, a number) is a TypeError, thrown
   * before anything is sent.
   */
  sendRequest<R = unknown>(
    method: string,
    params?: unknown,
    options: { timeout?: number; signal?: AbortSignal } = {},
  ): Promise<R> {
    checkAppMethod(method);
    checkParams(method, params);
    checkRequestOptions(method, options);
    return this.#request<R>(method, params, options);
  }

  async #request<R>(method: string, params: unknown, options: { timeout?: number; signal?: AbortSignal }): Promise<R> {
    const link = await this.#link();
    return (await link.request(method, params, { timeoutMs: options.timeout, signal: options.signal })) as R;
  }

  /**
   * Asks the supervisor to spawn a sibling (any option of `sup.spawn`, durations as strings or
   * ms) and resolves with its id once it is ready. Needs `allowControl: true` in this child's
   * spec; rejects with the parent's JSON-RPC error otherwise (code -32001), or when the spawn
   * fails (-32002, `data.code` the ProcwireError code).
   */
  spawn(spec: Record<string, unknown> & { id: string; command: string }): Promise<{ id: string }> {
    checkParams(Methods.spawn, spec);
    return this.#request(Methods.spawn, spec, {});
  }

  /** Asks the supervisor to stop a child; resolves with its StopResult. Needs `allowControl: true`. */
  stop(
    id: string,
  ): Promise<{ exitCode: number | null; signal: string | null; termination: 'clean' | 'escalated' | 'indeterminate' }> {
    return this.#request(Methods.stop, { id }, {});
  }

  /**
   * Sends an application notification to the parent; rejects with CONNECTION_CLOSED when it is
   * gone. A reserved or empty method, or params that are not an object or array, is a TypeError.
   */
  sendNotification(method: string, params?: unknown): Promise<void> {
    checkAppMethod(method);
    checkParams(method, params);
    return this.#notify(method, params);
  }

  /** Serves the parent's requests for `method`. Returns a function that removes the handler. */
  onRequest(method: string, handler: RequestHandler): () => void {
    return this.#handlers.onRequest(method, handler);
  }

  /** Calls `handler` for each notification `method` from the parent. Returns a function that removes it. */
  onNotification(method: string, handler: NotificationHandler): () => void {
    return this.#handlers.onNotification(method, handler);
  }

  /** Runs `handler` before the process exits on shutdown or parent loss; handlers run last-registered first. */
  onShutdown(handler: ShutdownHandler): void {
    this.#shutdownHandlers.push(handler);
  }

  /** Calls `handler` when the connection closes (useful with `exitOnDisconnect: false`). */
  onDisconnect(handler: () => void): () => void {
    this.#disconnectHandlers.add(handler);
    return () => this.#disconnectHandlers.delete(handler);
  }

  /** Closes the connection without exiting; the parent will see this child as disconnected. */
  dispose(): void {
    this.#channel.socket.destroy();
    this.#onClose();
  }

  /** @internal Holds the process alive for as long as the connection is open, once anyone asks to. */
  keepProcessAlive(keep: boolean): void {
    if (keep) {
      this.#held = true;
      this.#channel.socket.ref();
    } else if (!this.#held) {
      this.#channel.socket.unref();
    }
  }

  #link(): Promise<RpcLink> {
    this.#rpc ??= import('./rpc-link.js').then(
      ({ RpcLink }) =>
        new RpcLink(this.#channel, {
          handlers: this.#handlers,
          peer: { peer: `procwire/child "${this.id}" -> the parent`, childId: this.id, closed: this.#closed.signal },
          shutdown: () => this.#shutdown(),
        }),
    );
    return this.#rpc;
  }

  /**
   * The deferred part is a file beside the entry (dist/child-rpc.*); one missing from a broken
   * install or a copied entry would leave the parent's requests unanswered without a word.
   */
  #linkFailed(error: unknown): void {
    const message =
      `procwire/child "${this.id}": cannot load the SDK's JSON-RPC part, so requests go unanswered: ` +
      `${error instanceof Error ? error.message : String(error)}. Reinstall procwire, and load its dist/child.cjs ` +
      'or dist/child.mjs where it is installed (it loads dist/child-wire.* and dist/child-rpc.* from beside itself).';
    process.stderr.write(`${message}\n`);
    void this.#report(Methods.log, { level: 'error', message });
  }

  /** Notifications need no JSON-RPC machinery: one frame each, in call order. */
  async #notify(method: string, params: unknown): Promise<void> {
    if (this.#closed.signal.aborted) {
      throw new ProcwireError(
        'CONNECTION_CLOSED',
        `procwire/child "${this.id}": the parent connection is closed; "${method}" was not sent`,
        {
          childId: this.id,
        },
      );
    }
    await this.#channel.write(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  #report(method: string, params: unknown): Promise<boolean> {
    return this.#notify(method, params).then(
      () => true,
      () => false,
    );
  }

  async #runShutdownHandlers(reason: 'shutdown' | 'disconnect'): Promise<boolean> {
    let ok = true;
    for (const handler of [...this.#shutdownHandlers].reverse()) {
      try {
        await handler(reason);
      } catch (error) {
        ok = false;
        process.stderr.write(`procwire/child "${this.id}": a shutdown handler failed: ${String(error)}\n`);
      }
    }
    return ok;
  }

  async #shutdown(): Promise<Record<string, never>> {
    if (this.#ending) return {};
    this.#ending = true;
    const ok = await this.#runShutdownHandlers('shutdown');
    // Exit once the answer is on the wire: the response is written right after this
    // handler's promise settles, so end the socket on the next turn and exit when flushed.
    setImmediate(() => {
      this.#channel.end(() => process.exit(ok ? (process.exitCode ?? 0) : 1));
    });
    return {};
  }

  #onClose(): void {
    if (this.#closed.signal.aborted) return;
    this.#closed.abort();
    clearInterval(this.#heartbeat);
    void this.#rpc?.then(
      (link) => link.dispose(),
      () => undefined,
    );
    for (const handler of this.#disconnectHandlers) handler();
    if (!this.#exitOnDisconnect || this.#ending) return;
    this.#ending = true;
    const deadline = setTimeout(() => process.exit(0), DISCONNECT_HANDLER_BUDGET_MS);
    void this.#runShutdownHandlers('disconnect').finally(() => {
      clearTimeout(deadline);
      process.exit(0);
    });
  }
}
