import { createConnection, type Socket } from 'node:net';
import { createMessageConnection } from 'vscode-jsonrpc/node';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  Env,
  HelloRequest,
  PROTOCOL_VERSION,
  ProcwireError,
  SocketMessageReader,
  SocketMessageWriter,
  type HelloResult,
} from '../src/protocol/index.js';
import { ParentConnection } from './parent-connection.js';

/** Options of {@link connect}; each defaults to what the supervisor put in the environment. */
export interface ConnectOptions {
  socket?: string;
  id?: string;
  token?: string;
  /** Exit the process (after the shutdown handlers) when the parent goes away. Default true. */
  exitOnDisconnect?: boolean;
  /** Largest frame accepted from the parent, in bytes. Default 16 MiB. */
  maxMessageSize?: number;
}

// One process has one parent: a preload and the application's own code may both call
// connect(), and must share the connection rather than race for the one-time token.
let shared: Promise<ParentConnection> | undefined;

/**
 * Connects to the supervising parent, says hello, and resolves with the connection.
 * Rejects with NOT_SUPERVISED when the process was not started by procwire, and with
 * AUTH_FAILED when the parent refuses the hello. Later calls return the same connection.
 */
export function connect(options: ConnectOptions = {}): Promise<ParentConnection> {
  shared ??= open(options).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function open(options: ConnectOptions): Promise<ParentConnection> {
  const socketPath = options.socket ?? process.env[Env.socket];
  const id = options.id ?? process.env[Env.id];
  const token = options.token ?? process.env[Env.token];
  if (!socketPath || !id || !token) {
    throw new ProcwireError(
      'NOT_SUPERVISED',
      `procwire/child: ${Env.socket}, ${Env.id} and ${Env.token} are not all set, so this process was not ` +
        'started by a procwire supervisor. Start it with sup.spawn(), or pass { socket, id, token } to connect().',
    );
  }
  // The token is single-use; keep it from leaking into this process's own subprocesses.
  delete process.env[Env.token];
  const socket = await dial(socketPath, id);
  const reader = new SocketMessageReader(socket, { maxMessageSize: options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE });
  const writer = new SocketMessageWriter(socket);
  const connection = createMessageConnection(reader, writer);
  const parent = new ParentConnection(connection, socket, id, { exitOnDisconnect: options.exitOnDisconnect ?? true });
  connection.listen();
  let hello: HelloResult;
  try {
    hello = await Promise.race([
      connection.sendRequest(HelloRequest, { protocol: PROTOCOL_VERSION, id, token, pid: process.pid }),
      new Promise<never>((_, reject) =>
        parent.closedSignal.addEventListener('abort', () =>
          reject(
            new ProcwireError(
              'AUTH_FAILED',
              `procwire/child "${id}": the parent closed the connection during the handshake. The token or id ` +
                'is wrong, another process already connected as this id, or the hello came after connectTimeout.',
              { childId: id },
            ),
          ),
        ),
      ),
    ]);
  } catch (error) {
    parent.dispose();
    throw error;
  }
  parent.accept(hello);
  return parent;
}

function dial(path: string, id: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (cause) =>
      reject(
        new ProcwireError('NOT_CONNECTED', `procwire/child "${id}": cannot connect to ${path}: ${cause.message}. Is the supervisor still running?`, {
          childId: id,
          cause,
        }),
      ),
    );
  });
}
