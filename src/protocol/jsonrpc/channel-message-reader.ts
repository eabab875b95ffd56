import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-jsonrpc/node';
import type { FrameChannel } from '../wire/frame-channel.js';
import { ReadFlow } from './read-flow.js';

/**
 * vscode-jsonrpc's MessageReader over a FrameChannel: procwire's own reader, which parses
 * frames synchronously and caps their size before buffering (the stock one has no cap), and
 * pauses the socket while too much it read waits in vscode-jsonrpc's queue (see ReadFlow;
 * the connection must pass each FLOW_MARKER notification's params to `flow.reached`).
 */
export class ChannelMessageReader extends AbstractMessageReader {
  readonly #channel: FrameChannel;
  readonly #unsubscribe: (() => void)[];
  #callback: DataCallback | undefined;
  /** Backpressure on what this reader hands to the connection. */
  readonly flow: ReadFlow;

  constructor(channel: FrameChannel) {
    super();
    this.#channel = channel;
    this.flow = new ReadFlow(channel, (message) => this.inject(message));
    this.#unsubscribe = [channel.onError((error) => this.fireError(error)), channel.onClose(() => this.fireClose())];
  }

  listen(callback: DataCallback): Disposable {
    this.#callback = callback;
    const flow = this.flow;
    return Disposable.create(
      this.#channel.listen((message, bytes) => {
        callback(message as Message);
        flow.read(bytes);
      }),
    );
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
