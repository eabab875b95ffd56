import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-jsonrpc/node';
import type { FrameChannel } from './frame-channel.js';

/**
 * vscode-jsonrpc's MessageReader over a FrameChannel: procwire's own reader, which parses
 * frames synchronously and caps their size before buffering (the stock one has no cap).
 */
export class ChannelMessageReader extends AbstractMessageReader {
  readonly #channel: FrameChannel;
  readonly #unsubscribe: (() => void)[];
  #callback: DataCallback | undefined;

  constructor(channel: FrameChannel) {
    super();
    this.#channel = channel;
    this.#unsubscribe = [channel.onError((error) => this.fireError(error)), channel.onClose(() => this.fireClose())];
  }

  listen(callback: DataCallback): Disposable {
    this.#callback = callback;
    return Disposable.create(this.#channel.listen((message) => callback(message as Message)));
  }

  /**
   * Hands `message` to the listener as if it had been read, behind everything read so
   * far; false when nobody listens yet.
   */
  inject(message: Message): boolean {
    if (this.#callback === undefined) return false;
    this.#callback(message);
    return true;
  }

  override dispose(): void {
    super.dispose();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}
