import type { Socket } from 'node:net';
import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-jsonrpc/node';
import { FrameParser } from './frame-parser.js';
import { DEFAULT_FRAME_DEADLINE_MS } from './limits.js';
import { ProcwireError } from './errors.js';

/** Options of {@link SocketMessageReader}. */
export interface SocketMessageReaderOptions {
  maxMessageSize: number;
  /** A frame that started arriving must be complete within this many ms. */
  frameDeadlineMs?: number;
}

/**
 * A vscode-jsonrpc MessageReader that decodes frames synchronously from a socket's chunks
 * and enforces the size cap before buffering (the stock reader has no cap). A stream error
 * is fired once as a ProcwireError; the owner closes the socket.
 *
 * Messages that arrive before `listen` are held, and the socket is paused meanwhile, so a
 * handshake can read the first message with `nextMessage` and hand the rest on in order.
 */
export class SocketMessageReader extends AbstractMessageReader {
  readonly #socket: Socket;
  readonly #parser: FrameParser;
  readonly #frameDeadlineMs: number;
  #held: Message[] = [];
  #callback: DataCallback | undefined;
  #waiter: ((message: Message) => void) | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #failed = false;

  constructor(socket: Socket, options: SocketMessageReaderOptions) {
    super();
    this.#socket = socket;
    this.#frameDeadlineMs = options.frameDeadlineMs ?? DEFAULT_FRAME_DEADLINE_MS;
    this.#parser = new FrameParser(options.maxMessageSize, (message) => this.#deliver(message as Message));
    socket.on('data', this.#onData);
    socket.once('close', this.#onClose);
  }

  /** Resolves with the next message, for a handshake that runs before `listen`. */
  nextMessage(): Promise<Message> {
    const held = this.#held.shift();
    if (held !== undefined) return Promise.resolve(held);
    return new Promise((resolve) => {
      this.#waiter = resolve;
      this.#socket.resume();
    });
  }

  listen(callback: DataCallback): Disposable {
    this.#callback = callback;
    const held = this.#held;
    this.#held = [];
    for (const message of held) callback(message);
    this.#socket.resume();
    return Disposable.create(() => {
      this.#callback = undefined;
    });
  }

  override dispose(): void {
    super.dispose();
    this.#stopDeadline();
    this.#socket.off('data', this.#onData);
    this.#socket.off('close', this.#onClose);
    this.#callback = undefined;
    this.#waiter = undefined;
  }

  #deliver(message: Message): void {
    if (this.#callback) {
      this.#callback(message);
    } else if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(message);
    } else {
      this.#held.push(message);
      this.#socket.pause();
    }
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#failed) return;
    try {
      this.#parser.push(chunk);
    } catch (error) {
      this.#failed = true;
      this.#stopDeadline();
      this.fireError(error);
      return;
    }
    if (this.#parser.hasPartialFrame) this.#startDeadline();
    else this.#stopDeadline();
  };

  readonly #onClose = (): void => {
    this.#stopDeadline();
    this.fireClose();
  };

  #startDeadline(): void {
    // The deadline runs from the frame's first byte, not its latest one, so a peer that
    // trickles a byte at a time cannot hold the connection open forever.
    if (this.#deadline !== undefined) return;
    this.#deadline = setTimeout(() => {
      this.#failed = true;
      this.fireError(
        new ProcwireError('PROTOCOL_ERROR', `a frame stalled: not complete within ${this.#frameDeadlineMs} ms`),
      );
    }, this.#frameDeadlineMs);
    this.#deadline.unref();
  }

  #stopDeadline(): void {
    if (this.#deadline === undefined) return;
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }
}
