import type { Socket } from 'node:net';
import type { Message, RequestMessage } from 'vscode-jsonrpc/node';
import {
  Methods,
  PROTOCOL_VERSION,
  parseHelloParams,
  type HelloParams,
  SocketMessageReader,
  SocketMessageWriter,
} from '../protocol/index.js';

/** A connection that has said a well-formed hello; not yet checked against any child. */
export interface HelloConnection {
  socket: Socket;
  reader: SocketMessageReader;
  writer: SocketMessageWriter;
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
  options: { maxMessageSize: number; timeoutMs: number },
): Promise<HelloConnection> {
  const reader = new SocketMessageReader(socket, { maxMessageSize: options.maxMessageSize });
  const writer = new SocketMessageWriter(socket);
  let timer: NodeJS.Timeout | undefined;
  const disposables: { dispose(): void }[] = [];
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandshakeRejection(`no hello within ${options.timeoutMs} ms`)), options.timeoutMs);
    disposables.push(reader.onError((error) => reject(new HandshakeRejection(error.message))));
    disposables.push(reader.onClose(() => reject(new HandshakeRejection('closed before hello'))));
  });
  try {
    const message = await Promise.race([reader.nextMessage(), failure]);
    const hello = checkHello(message);
    return { socket, reader, writer, hello, requestId: (message as RequestMessage).id as number | string };
  } catch (error) {
    reader.dispose();
    writer.dispose();
    throw error;
  } finally {
    clearTimeout(timer);
    for (const disposable of disposables) disposable.dispose();
    failure.catch(() => undefined);
  }
}

function checkHello(message: Message): HelloParams {
  const request = message as Partial<RequestMessage>;
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
  return hello;
}
