import { ErrorCodes, ResponseError, type CancellationToken, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  connectChannel,
  type ChannelConnection,
  createCloseController,
  Methods,
  ProcwireError,
  isReservedMethod,
  parseDiagnosticsParams,
  parseLogParams,
  parsePortParams,
  parsePortRemovedParams,
  toParamArgs,
  requestWithLimits,
  runHandler,
  type DiagnosticsParams,
  type HandlerContext,
  type PeerContext,
  type LogEntry,
  type PortParams,
  type PortRemovedParams,
} from '../protocol/index.js';
import type { AcceptedConnection } from '../endpoint/index.js';
import { toMs, type Duration } from '../options/duration.js';
import { overLimit } from './child-limits.js';
import { keepReading } from './keep-reading.js';

// However much a dead process left in its socket, reading it may take no longer than this.
const DRAIN_LIMIT_MS = 10_000;

/** Limits of one request: a timeout, an abort signal, or both. */
export interface RequestOptions {
  timeout?: Duration;
  signal?: AbortSignal;
}

/**
 * What the connection tells its child about: the child's reports and requests. Readiness and
 * heartbeats are the connection's own facts (`ready`, `onHeartbeat`), for whoever starts the run.
 */
export interface ConnectionHooks {
  port(params: PortParams): void;
  portRemoved(params: PortRemovedParams): void;
  diagnostics(params: DiagnosticsParams): void;
  log(entry: LogEntry): void;
  request(method: string, params: unknown, context: HandlerContext): unknown;
  /** `procwire/spawn` and `procwire/stop` from the child. */
  control(method: string, params: unknown): Promise<unknown>;
  notification(method: string, params: unknown): void;
  protocolError(error: ProcwireError): void;
  closed(): void;
}

/**
 * The parent's end of one authenticated child connection: vscode-jsonrpc over procwire's
 * reader and writer, with the reserved methods checked at the boundary and at most
 * `writeBacklog` messages waiting for a child that does not read. A protocol violation
 * closes the connection; the child is told through `hooks`.
 */
export class ChildConnection {
  readonly #childId: string;
  readonly #accepted: AcceptedConnection;
  readonly #connection: MessageConnection;
  readonly #hooks: ConnectionHooks;
  readonly #closed = createCloseController();
  readonly #settled: () => Promise<void>;
  readonly #channelConnection: ChannelConnection;
  #peerContext: PeerContext | undefined;
  #heartbeat: (() => void) | undefined;
  /** Resolves once what was read before the close has been handled (see settled). */
  #handledAtClose: Promise<void> | undefined;
  /** Resolves when the child sends `procwire/ready`. */
  readonly ready: Promise<void>;
  readonly #writeBacklog: number;
  readonly #backlogFull: () => ProcwireError;

  constructor(
    childId: string,
    accepted: AcceptedConnection,
    hooks: ConnectionHooks,
    options: { writeBacklog: number },
  ) {
    this.#childId = childId;
    this.#accepted = accepted;
    this.#hooks = hooks;
    const { writeBacklog } = options;
    this.#writeBacklog = writeBacklog;
    this.#backlogFull = () =>
      overLimit(
        `${writeBacklog} messages from the parent wait unsent because the child does not read its socket`,
        'writeBacklog',
        writeBacklog,
        'a child must keep reading its socket (and the parent should await its sends)',
      );
    accepted.channel.limitWriteBacklog(writeBacklog, this.#backlogFull);
    const channelConnection = connectChannel(accepted.channel);
    const { connection, settled } = channelConnection;
    this.#channelConnection = channelConnection;
    this.#settled = settled;
    this.#connection = connection;
    let ready!: () => void;
    this.ready = new Promise((resolve) => {
      ready = resolve;
    });
    this.#onChecked(Methods.ready, () => ready());
    this.#onChecked(Methods.port, (params) => hooks.port(parsePortParams(params)));
    this.#onChecked(Methods.portRemoved, (params) => hooks.portRemoved(parsePortRemovedParams(params)));
    this.#onChecked(Methods.diagnostics, (params) => hooks.diagnostics(parseDiagnosticsParams(params)));
    this.#onChecked(Methods.log, (params) => hooks.log(parseLogParams(params)));
    this.#onChecked(Methods.heartbeat, () => this.#heartbeat?.());
    connection.onNotification((method, params) => {
      if (isReservedMethod(method)) {
        this.#violation(new ProcwireError('PROTOCOL_ERROR', `unknown reserved notification "${method}"`));
        return;
      }
      hooks.notification(method, params);
    });
    connection.onRequest((method, params, token) => this.#dispatchRequest(method, params, token));
    connection.onError(([error]) => this.#violation(error));
    connection.onClose(() => this.#onClose());
    accepted.channel.socket.once('close', () => this.#onClose());
    connection.listen();
  }

  /** Calls `listener` on each `procwire/heartbeat` (one listener: the run's watch). */
  onHeartbeat(listener: () => void): void {
    this.#heartbeat = listener;
  }

  /** Aborted when the connection has closed. */
  get closedSignal(): AbortSignal {
    return this.#closed.signal;
  }

  /**
   * Sends an application request; rejects with TIMEOUT, ABORTED or CONNECTION_CLOSED, or
   * PROTOCOL_ERROR when the child has left `writeBacklog` messages unread (which closes the
   * connection).
   */
  sendRequest(method: string, params: unknown, options: RequestOptions = {}): Promise<unknown> {
    const timeoutMs = options.timeout === undefined ? undefined : toMs('timeout', options.timeout);
    if (this.#accepted.channel.writeBacklog >= this.#writeBacklog)
      return Promise.reject(this.#violation(this.#backlogFull()));
    return requestWithLimits(this.#connection, method, params, { timeoutMs, signal: options.signal }, this.#peer);
  }

  /** Sends an application notification; resolves once written. Rejects as `sendRequest` does. */
  async sendNotification(method: string, params: unknown): Promise<void> {
    const args = toParamArgs(method, params);
    if (this.#closed.signal.aborted) {
      throw new ProcwireError(
        'CONNECTION_CLOSED',
        `child "${this.#childId}": connection closed; "${method}" was not sent`,
        {
          childId: this.#childId,
        },
      );
    }
    if (this.#accepted.channel.writeBacklog >= this.#writeBacklog) throw this.#violation(this.#backlogFull());
    await this.#connection.sendNotification(method, ...(args as [unknown]));
  }

  /** Resolves once every message read so far has been handled. */
  settled(): Promise<void> {
    // Once closed, the connection is disposed after its last marker, and a later one would be
    // dropped with the queue: wait for that last one instead.
    return this.#handledAtClose ?? this.#settled();
  }

  /** Asks the child to run its shutdown handlers and exit. */
  requestShutdown(): Promise<unknown> {
    return requestWithLimits(this.#connection, Methods.shutdown, {}, {}, this.#peer);
  }

  /** Closes the connection at once. */
  close(): void {
    this.#accepted.channel.socket.destroy();
    this.#onClose();
  }

  /**
   * For a process that has exited: reads what it wrote before it died (its end is closed,
   * so the rest of the socket is bounded) and closes on that end of file, or once `graceMs`
   * passes with nothing read and nothing held back by our own backpressure, should something
   * else hold the socket open. DRAIN_LIMIT_MS bounds the whole wait.
   */
  closeWhenDrained(graceMs: number): void {
    if (this.#closed.signal.aborted) return;
    const giveUpAt = Date.now() + DRAIN_LIMIT_MS;
    const socket = this.#accepted.channel.socket;
    let bytesRead = socket.bytesRead;
    let wasBehind = this.#channelConnection.behind;
    const check = (): void => {
      if (this.#closed.signal.aborted) return;
      const behind = this.#channelConnection.behind;
      const look = { behind, wasBehind, progressed: socket.bytesRead !== bytesRead, pastLimit: Date.now() >= giveUpAt };
      bytesRead = socket.bytesRead;
      wasBehind = behind;
      if (keepReading(look)) timer = setTimeout(lookAfterPoll, graceMs);
      else this.close();
    };
    // Timers run before the event loop polls for I/O: after a stall of the parent's loop, what
    // the socket received meanwhile is read only later in that turn. Look after that read.
    const lookAfterPoll = (): void => void setImmediate(check);
    let timer = setTimeout(lookAfterPoll, graceMs);
    this.#closed.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }

  // Made once: every request passes it.
  get #peer(): PeerContext {
    this.#peerContext ??= { peer: `child "${this.#childId}"`, childId: this.#childId, closed: this.#closed.signal };
    return this.#peerContext;
  }

  #onChecked(method: string, handle: (params: unknown) => void): void {
    this.#connection.onNotification(method, (params: unknown) => {
      try {
        handle(params);
      } catch (error) {
        this.#violation(error);
      }
    });
  }

  #dispatchRequest(method: string, params: unknown, token: CancellationToken): unknown {
    if (method === Methods.spawn || method === Methods.stop) return this.#hooks.control(method, params);
    if (isReservedMethod(method)) {
      throw new ResponseError(ErrorCodes.MethodNotFound, `the parent does not serve "${method}"`);
    }
    return runHandler(token, this.#closed.signal, (context) => this.#hooks.request(method, params, context));
  }

  /** Reports `error` as the child's protocol error and closes the connection (once); returns the error as reported. */
  #violation(error: unknown): ProcwireError {
    const typed =
      error instanceof ProcwireError
        ? new ProcwireError(error.code, `child "${this.#childId}": ${error.message}; the connection was closed`, {
            childId: this.#childId,
            cause: error,
          })
        : new ProcwireError('PROTOCOL_ERROR', `child "${this.#childId}": connection error: ${String(error)}`, {
            childId: this.#childId,
            cause: error,
          });
    if (this.#closed.signal.aborted) return typed;
    this.#hooks.protocolError(typed);
    this.close();
    return typed;
  }

  #onClose(): void {
    if (this.#closed.signal.aborted) return;
    this.#closed.abort();
    this.#accepted.channel.socket.destroy();
    // Messages already read are handled before the connection goes: a dying child's last
    // diagnostics and logs matter most.
    this.#handledAtClose = this.#settled();
    void this.#handledAtClose.then(() => this.#connection.dispose());
    this.#hooks.closed();
  }
}
