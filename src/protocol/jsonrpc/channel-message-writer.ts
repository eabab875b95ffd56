import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';
import type { FrameChannel } from '../wire/frame-channel.js';

/**
 * vscode-jsonrpc's MessageWriter over a FrameChannel: header and body in one `write`, so
 * each message costs one syscall and cannot interleave with another.
 */
export class ChannelMessageWriter extends AbstractMessageWriter implements MessageWriter {
  readonly #channel: FrameChannel;
  readonly #unsubscribe: () => void;
  #errors = 0;

  constructor(channel: FrameChannel) {
    super();
    this.#channel = channel;
    this.#unsubscribe = channel.onClose(() => this.fireClose());
  }

  write(message: Message): Promise<void> {
    // No async wrapper: this runs for every message, and a write almost never fails.
    return this.#channel.write(message).catch((error: unknown) => {
      // A message JSON cannot carry (a BigInt, a cycle) is its caller's bug: that call
      // fails, and the connection, which is fine, is not reported broken.
      if (!(error instanceof TypeError)) {
        this.#errors++;
        this.fireError(error, message, this.#errors);
      }
      throw error;
    });
  }

  end(): void {
    this.#channel.end();
  }

  override dispose(): void {
    super.dispose();
    this.#unsubscribe();
  }
}
