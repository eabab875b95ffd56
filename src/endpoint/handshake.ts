import type { Socket } from 'node:net';
import { FrameChannel, Methods, PROTOCOL_VERSION, parseHelloParams, type HelloParams } from '../protocol/index.js';

/** A connection that has said a well-formed hello; not yet checked against any child. */
export interface HelloConnection {
  channel: FrameChannel;
  hello: HelloParams;
  requestId: number | string;
}

/** Why a connection was closed during the handshake. */
export class HandshakeRejection extends Error {}

/**
 * Reads the first message of a fresh connection and checks that it is a well-formed
 * `procwire/hello` request of our protocol version, within `timeoutMs`. Rejects with a
 * HandshakeRejection for anything else; the caller closes the socket.
 */
export async function readHello(
  socket: Socket,
  options: { maxMessageSize: number; frameTimeoutMs: number; timeoutMs: number },
): Promise<HelloConnection> {
  const channel = new FrameChannel(socket, { maxMessageSize: options.maxMessageSize, frameDeadlineMs: options.frameTimeoutMs });
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe: (() => void)[] = [];
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandshakeRejection(`no hello within ${options.timeoutMs} ms`)), options.timeoutMs);
    unsubscribe.push(channel.onError((error) => reject(new HandshakeRejection(error.message))));
    unsubscribe.push(channel.onClose(() => reject(new HandshakeRejection('closed before hello'))));
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
    throw new HandshakeRejection(`protocol version ${hello.protocol} is not supported (this parent speaks ${PROTOCOL_VERSION})`);
  }
  return { hello, requestId: request.id };
}
