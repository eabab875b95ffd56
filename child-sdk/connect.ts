import { createConnection, type Socket } from 'node:net';
// Specific modules, not the protocol index: this path must not load vscode-jsonrpc, so
// that hello and ready go out before it is (see parent-connection.ts).
import { Env } from '../src/protocol/wire/env.js';
import { ProcwireError } from '../src/protocol/wire/errors.js';
import { FrameChannel } from '../src/protocol/wire/frame-channel.js';
import { encodeFrame } from '../src/protocol/wire/frame-writer.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../src/protocol/wire/limits.js';
import { Methods, PROTOCOL_VERSION } from '../src/protocol/wire/methods.js';
import type { HelloResult } from '../src/protocol/wire/types.js';
import { checkKeys } from './check-arguments.js';
import { ParentConnection } from './parent-connection.js';
import { takeSupervisorEnv } from './supervisor-env.js';

/**
 * Options of {@link connect}; each defaults to what the supervisor put in the environment,
 * which the first connect() removes from `process.env` (see takeSupervisorEnv).
 */
export interface ConnectOptions {
  socket?: string;
  id?: string;
  token?: string;
  /** Exit the process (after the shutdown handlers) when the parent goes away. Default true. */
  exitOnDisconnect?: boolean;
  /** Largest frame accepted from the parent, in bytes. Default 16 MiB. */
  maxMessageSize?: number;
  /**
   * Whether the connection keeps the process alive (default true: a child that only
   * serves requests must not exit). The preload passes false, so a tool that finishes its
   * work still exits by itself. If any caller asks for true, the process is held.
   */
  keepAlive?: boolean;
}

// One process has one parent: a preload and the application's own code may both call
// connect(), even from different copies of the bundle (register.cjs, child.cjs, child.mjs),
// and must share one connection rather than race for the one-time token. Hence a
// process-wide slot rather than module state.
const SHARED = Symbol.for('procwire.child.connection');
type Slot = { [SHARED]?: Promise<ParentConnection> | undefined };

/**
 * Connects to the supervising parent, says hello, and resolves with the connection.
 * Rejects with NOT_SUPERVISED when the process was not started by procwire, with
 * NOT_CONNECTED when the socket cannot be reached, and with AUTH_FAILED when the parent
 * refuses the hello. Later calls return the same connection. PROCWIRE_SOCKET, PROCWIRE_ID and
 * PROCWIRE_TOKEN are gone from `process.env` once it has been called, so subprocesses do not
 * inherit them.
 */
export function connect(options: ConnectOptions = {}): Promise<ParentConnection> {
  checkConnectOptions(options);
  const slot = globalThis as Slot;
  slot[SHARED] ??= open(options).catch((error: unknown) => {
    slot[SHARED] = undefined;
    throw error;
  });
  const shared = slot[SHARED];
  return shared.then((parent) => {
    parent.keepProcessAlive(options.keepAlive ?? true);
    // Whichever call asks to outlive the parent is heard, as with keepAlive: the preload
    // connects first with the default, and the application's own call must still count.
    // The shared connection may come from an older copy of the SDK (a parent's preload beside the
    // app's own procwire/child), which lacks the method: then the first call's choice stands.
    if (options.exitOnDisconnect === false) (parent as Partial<ParentConnection>).stayOnDisconnect?.();
    return parent;
  });
}

async function open(options: ConnectOptions): Promise<ParentConnection> {
  const env = takeSupervisorEnv();
  const socketPath = options.socket ?? env.socket;
  const id = options.id ?? env.id;
  const token = options.token ?? env.token;
  if (!socketPath || !id || !token) {
    throw new ProcwireError(
      'NOT_SUPERVISED',
      `procwire/child: ${Env.socket}, ${Env.id} and ${Env.token} are not all set, so this process was not ` +
        'started by a procwire supervisor. Start it with sup.spawn(), or pass { socket, id, token } to connect().',
    );
  }
  // The hello goes out with the connect, not after it: the parent reads it the moment it
  // accepts, and the child's wait for the connection and for the answer overlap.
  const hello = encodeFrame({
    jsonrpc: '2.0',
    id: 'procwire-hello',
    method: Methods.hello,
    params: { protocol: PROTOCOL_VERSION, id, token, pid: process.pid },
  });
  const socket = await dial(socketPath, id, hello);
  const channel = new FrameChannel(socket, { maxMessageSize: options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE });
  let answer: HelloResult;
  try {
    answer = await handshake(channel, id);
  } catch (error) {
    channel.dispose();
    socket.destroy();
    throw error;
  }
  return new ParentConnection(channel, id, answer, { exitOnDisconnect: options.exitOnDisconnect ?? true });
}

const CONNECT_OPTIONS = ['socket', 'id', 'token', 'exitOnDisconnect', 'maxMessageSize', 'keepAlive'];

/** A TypeError at once for an option connect() would misread (a socket of 42 would dial TCP port 42). */
function checkConnectOptions(options: ConnectOptions): void {
  checkKeys('connect() options', options, CONNECT_OPTIONS);
  for (const key of ['socket', 'id', 'token'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new TypeError(`connect() option ${key} must be a non-empty string; got ${JSON.stringify(value)}`);
    }
  }
  for (const key of ['exitOnDisconnect', 'keepAlive'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && typeof value !== 'boolean')
      throw new TypeError(`connect() option ${key} must be true or false; got ${JSON.stringify(value)}`);
  }
  const size: unknown = options.maxMessageSize;
  if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size <= 0))
    throw new TypeError(
      `connect() option maxMessageSize must be a positive integer (bytes); got ${JSON.stringify(size)}`,
    );
}

// A parent that accepted the connection answers at once; one that does not in this long is hung.
const HELLO_ANSWER_TIMEOUT_MS = 30_000;

/** Reads the answer to the hello that dial() sent, in a raw frame, before any JSON-RPC machinery exists. */
async function handshake(channel: FrameChannel, id: string): Promise<HelloResult> {
  const refused = (): ProcwireError =>
    new ProcwireError(
      'AUTH_FAILED',
      `procwire/child "${id}": the parent closed the connection during the handshake. The token or id ` +
        'is wrong, another process already connected as this id, or the hello came after connectTimeout.',
      { childId: id },
    );
  const unsubscribe: (() => void)[] = [];
  try {
    const answer = await new Promise<object>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new ProcwireError(
            'NOT_CONNECTED',
            `procwire/child "${id}": the parent did not answer hello within ${HELLO_ANSWER_TIMEOUT_MS / 1000} s`,
            { childId: id },
          ),
        );
      }, HELLO_ANSWER_TIMEOUT_MS);
      unsubscribe.push(() => clearTimeout(timer));
      unsubscribe.push(channel.onClose(() => reject(refused())));
      unsubscribe.push(channel.onError((error) => reject(error)));
      channel.nextMessage().then(resolve, reject);
    });
    const result = (answer as { result?: Partial<HelloResult> }).result;
    if (
      typeof result !== 'object' ||
      result === null ||
      result.protocol !== PROTOCOL_VERSION ||
      typeof result.parentPid !== 'number'
    ) {
      throw new ProcwireError(
        'PROTOCOL_ERROR',
        `procwire/child "${id}": the parent answered hello with ${JSON.stringify(answer).slice(0, 200)}`,
        {
          childId: id,
        },
      );
    }
    return {
      protocol: result.protocol,
      parentPid: result.parentPid,
      heartbeatMs: typeof result.heartbeatMs === 'number' ? result.heartbeatMs : 0,
      features: Array.isArray(result.features) ? result.features.filter((f) => typeof f === 'string') : [],
    };
  } finally {
    for (const stop of unsubscribe) stop();
  }
}

// A Unix socket whose accept queue is momentarily full refuses with EAGAIN rather than
// waiting; that passes in milliseconds, so try again for a while before giving up.
const DIAL_RETRY_MS = 25;
const DIAL_PATIENCE_MS = 3_000;

/** Connects to `path` and writes `first` (queued until connected; each retry writes it again). */
async function dial(path: string, id: string, first: string): Promise<Socket> {
  const deadline = Date.now() + DIAL_PATIENCE_MS;
  for (;;) {
    try {
      return await dialOnce(path, first);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, DIAL_RETRY_MS));
        continue;
      }
      throw new ProcwireError(
        'NOT_CONNECTED',
        `procwire/child "${id}": cannot connect to ${path}: ${(cause as Error).message}. ` +
          'Is the supervisor still running?',
        {
          childId: id,
          cause,
        },
      );
    }
  }
}

function dialOnce(path: string, first: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.write(first);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
