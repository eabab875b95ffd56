import type { Socket } from 'node:net';
import { FrameChannel, Methods, PROTOCOL_VERSION, parseHelloParams, type HelloParams } from '../protocol/index.js';

/**
 * Cap on any frame before the hello has passed. A real hello is about 200 bytes; the cap keeps
 * a connection that has proved nothing from making the parent buffer up to `maxMessageSize`.
 */
export const HELLO_MAX_BYTES = 4 * 1024;

/** A connection that has said a well-formed hello; not yet checked against any child. */
export interface HelloConnection {
  channel: FrameChannel;
  hello: HelloParams;
  requestId: number | string;
}

/** Why a connection was closed during the handshake. */
export class HandshakeRejection extends Error {}

/** Options of {@link readHello}. */
export interface ReadHelloOptions {
  /** The session's cap; the hello's is the smaller of this and HELLO_MAX_BYTES. */
  maxMessageSize: number;
  frameTimeoutMs: number;
  timeoutMs: number;
  /** Aborting refuses the connection with the signal's reason (a HandshakeRejection). */
  signal?: AbortSignal;
}

/**
 * Reads the first message of a fresh connection and checks that it is a well-formed
 * `procwire/hello` request of our protocol version, within `timeoutMs`, taking frames of at
 * most HELLO_MAX_BYTES (or `maxMessageSize`, if smaller). Rejects with a HandshakeRejection
 * for anything else; the caller closes the socket, and raises the channel's cap once it has
 * accepted the hello.
 */
export async function readHello(socket: Socket, options: ReadHelloOptions): Promise<HelloConnection> {
  const cap = Math.min(HELLO_MAX_BYTES, options.maxMessageSize);
  const channel = new FrameChannel(socket, { maxMessageSize: cap, frameDeadlineMs: options.frameTimeoutMs });
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe: (() => void)[] = [];
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HandshakeRejection(`no hello within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    unsubscribe.push(
      channel.onError((error) =>
        reject(new HandshakeRejection(error.code === 'MESSAGE_TOO_LARGE' ? tooLarge(cap) : error.message)),
      ),
    );
    unsubscribe.push(channel.onClose(() => reject(new HandshakeRejection('closed before hello'))));
    const { signal } = options;
    if (signal !== undefined) {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      unsubscribe.push(() => signal.removeEventListener('abort', onAbort));
    }
  });
  try {
    const message = await Promise.race([channel.nextMessage(), failure]);
    const { hello, requestId } = checkHello(message);
    return { channel, hello, requestId };
  } catch (error) {
    channel.dispose();
    throw error;
  } finally {
    clearTimeout(timer);
    for (const stop of unsubscribe) stop();
    failure.catch(() => undefined);
  }
}

function tooLarge(cap: number): string {
  return `a frame before hello was larger than the ${cap} bytes a hello may take`;
}

function checkHello(message: object): { hello: HelloParams; requestId: number | string } {
  const request = message as { method?: unknown; id?: unknown; params?: unknown };
  if (request.method !== Methods.hello || (typeof request.id !== 'number' && typeof request.id !== 'string')) {
    throw new HandshakeRejection(`first message was not a ${Methods.hello} request`);
  }
  let hello: HelloParams;
  try {
    hello = parseHelloParams(request.params);
  } catch (error) {
    throw new HandshakeRejection((error as Error).message);
  }
  if (hello.protocol !== PROTOCOL_VERSION) {
    throw new HandshakeRejection(
      `protocol version ${hello.protocol} is not supported (this parent speaks ${PROTOCOL_VERSION})`,
    );
  }
  return { hello, requestId: request.id };
}
