import type { Socket } from 'node:net';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';

/**
 * A vscode-jsonrpc MessageWriter that sends header and body in one `write`, so each message
 * costs one syscall and cannot interleave with another. Order is the socket's own order.
 */
export class SocketMessageWriter extends AbstractMessageWriter implements MessageWriter {
  readonly #socket: Socket;
  #errors = 0;

  constructor(socket: Socket) {
    super();
    this.#socket = socket;
    socket.once('close', this.#onClose);
  }

  write(message: Message): Promise<void> {
    const body = JSON.stringify(message);
    const frame = `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
    return new Promise((resolve, reject) => {
      if (this.#socket.destroyed || !this.#socket.writable) {
        reject(new Error('the connection is closed'));
        return;
      }
      this.#socket.write(frame, 'utf8', (error) => {
        if (error) {
          this.#errors++;
          this.fireError(error, message, this.#errors);
          reject(error);
        } else {
          this.#errors = 0;
          resolve();
        }
      });
    });
  }

  end(): void {
    this.#socket.end();
  }

  override dispose(): void {
    super.dispose();
    this.#socket.off('close', this.#onClose);
  }

  readonly #onClose = (): void => {
    this.fireClose();
  };
}
