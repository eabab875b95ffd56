import { createServer, type Server, type Socket } from 'node:net';
import { chmod, rm } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import { Features, PROTOCOL_VERSION, type HelloResult } from '../protocol/index.js';
import { readHello, HandshakeRejection, type HelloConnection } from './handshake.js';
import { listenAtSocketPath, removePlacedSocket } from './explicit-path.js';
import { listenOnPath } from './listen.js';
import { checkPipeName, makePipeName, refuseServedPipe } from './pipe-name.js';
import { makePrivateSocketDir, socketDirCandidates } from './private-dir.js';
import { tokensMatch } from './token.js';
import { WaitingRoom } from './waiting-room.js';

/** Options of {@link Endpoint.listen}. */
export interface EndpointOptions {
  connectTimeoutMs: number;
  maxMessageSize: number;
  /** A frame that started arriving must be complete within this many ms. */
  frameTimeoutMs: number;
  /** Base directory for the private socket directory. */
  socketDir?: string | undefined;
  /**
   * An exact socket path; overrides socketDir. Its directory must exist and be safe from other
   * users; the path must be free or hold our own stale socket.
   */
  socketPath?: string | undefined;
}

/** Connection counters, for monitoring and tests. */
export interface EndpointStats {
  acceptedConnections: number;
  rejectedConnections: number;
}

/** A connection that proved it is the child it claims to be. */
export type AcceptedConnection = HelloConnection;

/** A child the endpoint waits for: resolves once, when a hello with its id and token arrives. */
export interface Expectation {
  readonly connected: Promise<AcceptedConnection>;
  /** The reason the last connection that claimed this id was refused, if any. */
  readonly lastRejection: string | undefined;
  /** True while some connection has not said hello yet: it may be this child's. */
  readonly helloPending: boolean;
  /** Stops waiting; a later hello for this id is rejected. */
  cancel(): void;
}

interface Pending {
  token: string;
  heartbeatMs: number;
  resolve(connection: AcceptedConnection): void;
  lastRejection: string | undefined;
}

type EndpointEvents = { rejected: [reason: string, claimedId: string | undefined] };

/**
 * The parent's listening socket and its gatekeeper. Every connection must open with a
 * `procwire/hello` carrying the id and token of a child we are waiting for, within the
 * connect timeout; anything else is closed unanswered and counted.
 */
export class Endpoint extends EventEmitter<EndpointEvents> {
  readonly address: string;
  readonly stats: EndpointStats = { acceptedConnections: 0, rejectedConnections: 0 };
  readonly #server: Server;
  /** Removes what listen made: the private directory, or the socket at an explicit path. */
  readonly #removeSocket: () => Promise<void>;
  readonly #options: EndpointOptions;
  readonly #waiting = new Map<string, Pending>();
  readonly #unauthenticated = new WaitingRoom();
  /** Every open connection, admitted or not: close ends them all (see #close). */
  readonly #open = new Set<Socket>();
  #closed: Promise<void> | undefined;

  private constructor(server: Server, address: string, removeSocket: () => Promise<void>, options: EndpointOptions) {
    super();
    this.#server = server;
    this.address = address;
    this.#removeSocket = removeSocket;
    this.#options = options;
    server.on('connection', (socket) => {
      this.#open.add(socket);
      socket.once('close', () => this.#open.delete(socket));
      void this.#admit(socket);
    });
  }

  /**
   * Makes the private directory (or pipe name), or checks an explicit socketPath, listens, and
   * restricts the socket to us. Rejects, naming the path and what to do, when it cannot.
   */
  static async listen(options: EndpointOptions): Promise<Endpoint> {
    const server = createServer({ pauseOnConnect: false });
    // Errors after listening (EMFILE on accept) must not crash the parent; they surface as
    // refused connections on the child side.
    server.on('error', () => undefined);
    if (process.platform === 'win32') {
      const pipe = options.socketPath === undefined ? makePipeName() : checkPipeName(options.socketPath);
      if (options.socketPath !== undefined) await refuseServedPipe(pipe);
      await listenOnPath(server, pipe);
      return new Endpoint(server, pipe, async () => undefined, options);
    }
    if (options.socketPath !== undefined) {
      const placed = await listenAtSocketPath(server, options.socketPath);
      return new Endpoint(server, placed.path, () => removePlacedSocket(placed), options);
    }
    const { dir, socketPath } = await makePrivateSocketDir(socketDirCandidates(options.socketDir));
    try {
      await listenOnPath(server, socketPath);
      await chmod(socketPath, 0o600);
    } catch (error) {
      server.close();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return new Endpoint(server, socketPath, () => rm(dir, { recursive: true, force: true }), options);
  }

  /** Waits for the child `id` to connect with `token`. One expectation per id at a time. */
  expect(id: string, token: string, heartbeatMs: number): Expectation {
    if (this.#waiting.has(id)) throw new Error(`procwire already waits for a child with id "${id}"`);
    let resolve!: (connection: AcceptedConnection) => void;
    const connected = new Promise<AcceptedConnection>((res) => {
      resolve = res;
    });
    const pending: Pending = { token, heartbeatMs, resolve, lastRejection: undefined };
    this.#waiting.set(id, pending);
    const unauthenticated = this.#unauthenticated;
    return {
      connected,
      get lastRejection() {
        return pending.lastRejection;
      },
      get helloPending() {
        return unauthenticated.size > 0;
      },
      cancel: () => {
        if (this.#waiting.get(id) === pending) this.#waiting.delete(id);
      },
    };
  }

  /** Stops listening, drops unauthenticated connections, removes the socket (or its private directory). Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#waiting.clear();
    this.#unauthenticated.destroyAll();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // server.close waits for every connection to end. A child that outlived its stop (an
    // indeterminate one: a process Windows could not end, one stuck in the kernel) would hold
    // its connection, and shutdown, open for as long as it lives.
    for (const socket of this.#open) socket.destroy();
    await closed;
    await this.#removeSocket();
  }

  async #admit(socket: Socket): Promise<void> {
    socket.on('error', () => undefined);
    const pushedOut = this.#unauthenticated.enter(socket);
    let connection: HelloConnection;
    try {
      connection = await readHello(socket, {
        maxMessageSize: this.#options.maxMessageSize,
        frameTimeoutMs: this.#options.frameTimeoutMs,
        timeoutMs: this.#options.connectTimeoutMs,
        signal: pushedOut,
      });
    } catch (error) {
      this.#reject(socket, error instanceof HandshakeRejection ? error.message : String(error), undefined);
      return;
    } finally {
      this.#unauthenticated.leave(socket);
    }
    const { hello } = connection;
    const pending = this.#waiting.get(hello.id);
    if (pending === undefined) {
      this.#reject(
        socket,
        `no child with id "${hello.id}" is waiting to connect (unknown, or already connected)`,
        hello.id,
      );
      connection.channel.dispose();
      return;
    }
    if (!tokensMatch(hello.token, pending.token)) {
      pending.lastRejection = 'a connection presented a wrong token for this id';
      this.#reject(socket, `wrong token for child "${hello.id}"`, hello.id);
      connection.channel.dispose();
      return;
    }
    this.#waiting.delete(hello.id);
    this.stats.acceptedConnections++;
    connection.channel.setMaxMessageSize(this.#options.maxMessageSize);
    const result = {
      protocol: PROTOCOL_VERSION,
      parentPid: process.pid,
      heartbeatMs: pending.heartbeatMs,
      features: Object.values(Features),
    } satisfies HelloResult;
    void connection.channel.write({ jsonrpc: '2.0', id: connection.requestId, result }).catch(() => undefined);
    pending.resolve(connection);
  }

  #reject(socket: Socket, reason: string, claimedId: string | undefined): void {
    this.stats.rejectedConnections++;
    socket.destroy();
    this.emit('rejected', reason, claimedId);
  }
}
