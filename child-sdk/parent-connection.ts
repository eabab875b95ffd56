import type { Socket } from 'node:net';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import {
  DiagnosticsNotification,
  HeartbeatNotification,
  LogNotification,
  PortNotification,
  ProcwireError,
  ReadyNotification,
  ShutdownRequest,
  diagnosticProblem,
  HandlerTable,
  requestWithLimits,
  runHandler,
  toParamArgs,
  type Diagnostic,
  type NotificationHandler,
  type RequestHandler,
  type HelloResult,
  type LogLevel,
  type PeerContext,
} from '../src/protocol/index.js';

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
  readonly #connection: MessageConnection;
  readonly #socket: Socket;
  readonly #closed = new AbortController();
  readonly #exitOnDisconnect: boolean;
  readonly #handlers: HandlerTable;
  readonly #shutdownHandlers: ShutdownHandler[] = [];
  readonly #disconnectHandlers = new Set<() => void>();
  #hello: HelloResult | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #ending = false;

  /** @internal Made by connect(). */
  constructor(connection: MessageConnection, socket: Socket, id: string, options: { exitOnDisconnect: boolean }) {
    this.id = id;
    this.#connection = connection;
    this.#socket = socket;
    this.#exitOnDisconnect = options.exitOnDisconnect;
    socket.on('error', () => undefined);
    socket.once('close', () => this.#onClose());
    connection.onError(() => socket.destroy());
    connection.onRequest(ShutdownRequest, () => this.#shutdown());
    this.#handlers = new HandlerTable(`child "${id}"`);
    connection.onRequest((method, params, token) =>
      runHandler(token, this.#closed.signal, (context) => this.#handlers.request(method, params, context)),
    );
    connection.onNotification((method, params) => this.#handlers.notify(method, params));
  }

  /** The parent's process id, from the handshake. */
  get parentPid(): number {
    return this.#hello?.parentPid ?? 0;
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
    return this.#report(ReadyNotification.method, {});
  }

  /** Reports a port this child bound, so the parent can show and use it. */
  reportPort(name: string, port: number, options: { host?: string; protocol?: string } = {}): Promise<boolean> {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError(`reportPort: name must be a non-empty string; got ${String(name)}`);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`reportPort: port must be an integer 0-65535; got ${String(port)}`);
    return this.#report(PortNotification.method, { name, port, ...options });
  }

  /** Replaces the parent's diagnostics for `file`; an empty array clears them. */
  publishDiagnostics(file: string, diagnostics: Diagnostic[]): Promise<boolean> {
    if (typeof file !== 'string' || file.length === 0) throw new TypeError('publishDiagnostics: file must be a non-empty string');
    for (const [index, diagnostic] of diagnostics.entries()) {
      const problem = diagnosticProblem(diagnostic);
      if (problem !== undefined) throw new TypeError(`publishDiagnostics: diagnostics[${index}]: ${problem}`);
    }
    return this.#report(DiagnosticsNotification.method, { file, diagnostics });
  }

  /** Sends one log line to the parent. */
  log(level: LogLevel, message: string): Promise<boolean> {
    return this.#report(LogNotification.method, { level, message });
  }

  /** Sends an application request to the parent; rejects with TIMEOUT, ABORTED, CONNECTION_CLOSED or the parent's error. */
  sendRequest<R = unknown>(method: string, params?: unknown, options: { timeout?: number; signal?: AbortSignal } = {}): Promise<R> {
    return requestWithLimits(this.#connection, method, params, { timeoutMs: options.timeout, signal: options.signal }, this.#peer) as Promise<R>;
  }

  /** Sends an application notification to the parent. */
  sendNotification(method: string, params?: unknown): Promise<void> {
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
    this.#socket.destroy();
    this.#onClose();
  }

  /** @internal Completes the handshake. */
  accept(hello: HelloResult): void {
    this.#hello = hello;
    if (hello.heartbeatMs > 0) {
      // A third of the period, so that one late beat is not taken for a hang.
      this.#heartbeat = setInterval(() => void this.#report(HeartbeatNotification.method, {}), hello.heartbeatMs / 3);
      this.#heartbeat.unref();
    }
  }

  get #peer(): PeerContext {
    return { peer: `procwire/child "${this.id}" -> the parent`, childId: this.id, closed: this.#closed.signal };
  }

  async #notify(method: string, params: unknown): Promise<void> {
    const args = toParamArgs(method, params);
    if (this.#closed.signal.aborted) {
      throw new ProcwireError('CONNECTION_CLOSED', `procwire/child "${this.id}": the parent connection is closed; "${method}" was not sent`, {
        childId: this.id,
      });
    }
    await this.#connection.sendNotification(method, ...(args as [unknown]));
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
      this.#socket.end(() => process.exit(ok ? (process.exitCode ?? 0) : 1));
    });
    return {};
  }

  #onClose(): void {
    if (this.#closed.signal.aborted) return;
    this.#closed.abort();
    clearInterval(this.#heartbeat);
    this.#connection.dispose();
    for (const handler of this.#disconnectHandlers) handler();
    if (!this.#exitOnDisconnect || this.#ending || this.#hello === undefined) return;
    this.#ending = true;
    const deadline = setTimeout(() => process.exit(0), DISCONNECT_HANDLER_BUDGET_MS);
    void this.#runShutdownHandlers('disconnect').finally(() => {
      clearTimeout(deadline);
      process.exit(0);
    });
  }
}
