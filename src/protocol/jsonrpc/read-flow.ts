import type { FrameChannel } from '../wire/frame-channel.js';
import type { Message } from 'vscode-jsonrpc/node';
import { READ_PAUSE_BYTES, READ_PAUSE_MESSAGES } from '../wire/limits.js';

/** The method of flow markers; they never go on the wire. */
export const FLOW_MARKER = '$/procwire/flow';

// A marker at least this often: often enough that a paused socket hears of progress well
// before the queue is empty, rarely enough to cost nothing (one turn per 64 messages).
const MARK_EVERY_MESSAGES = 64;
const MARK_EVERY_BYTES = 256 * 1024;
// Resume at half the mark, so the peer refills the queue before it runs dry.
const RESUME_MESSAGES = READ_PAUSE_MESSAGES / 2;
const RESUME_BYTES = READ_PAUSE_BYTES / 2;

interface Mark {
  /** The marker's params: its identity, which a peer cannot forge. */
  readonly token: object;
  readonly messages: number;
  readonly bytes: number;
}

/**
 * Read backpressure for one connection. vscode-jsonrpc queues what the reader hands it and
 * handles one message per event-loop turn, and tells nobody; so every 64 messages (or
 * 256 KiB) a marker message is queued behind them, and when vscode-jsonrpc reaches it,
 * everything before it has been handled. While more than READ_PAUSE_MESSAGES messages or
 * READ_PAUSE_BYTES bytes are read and not known handled, the socket is paused; it resumes
 * at half. A peer then waits on its own socket instead of growing this process.
 */
export class ReadFlow {
  readonly #channel: Pick<FrameChannel, 'pauseReading' | 'resumeReading'>;
  readonly #inject: (message: Message) => boolean;
  readonly #marks: Mark[] = [];
  #read = 0;
  #readBytes = 0;
  #handled = 0;
  #handledBytes = 0;
  #markedAt = 0;
  #markedBytes = 0;
  #paused = false;

  /** `inject` queues a message behind everything read so far (ChannelMessageReader.inject). */
  constructor(channel: Pick<FrameChannel, 'pauseReading' | 'resumeReading'>, inject: (message: Message) => boolean) {
    this.#channel = channel;
    this.#inject = inject;
  }

  /** True while the socket is paused for backpressure. */
  get paused(): boolean {
    return this.#paused;
  }

  /** A message whose body had `bytes` bytes was just handed to the connection. */
  read(bytes: number): void {
    this.#read++;
    this.#readBytes += bytes;
    if (this.#read - this.#markedAt >= MARK_EVERY_MESSAGES || this.#readBytes - this.#markedBytes >= MARK_EVERY_BYTES)
      this.#mark();
    if (
      !this.#paused &&
      (this.#read - this.#handled > READ_PAUSE_MESSAGES || this.#readBytes - this.#handledBytes > READ_PAUSE_BYTES)
    ) {
      this.#paused = true;
      this.#channel.pauseReading();
    }
  }

  /**
   * The connection handled a FLOW_MARKER notification with these params. Returns false for
   * one that is not ours (a peer may send the method; it cannot send our object).
   */
  reached(params: unknown): boolean {
    const mark = this.#marks[0];
    if (mark === undefined || mark.token !== params) return false;
    this.#marks.shift();
    this.#handled = mark.messages;
    this.#handledBytes = mark.bytes;
    if (
      this.#paused &&
      this.#read - this.#handled <= RESUME_MESSAGES &&
      this.#readBytes - this.#handledBytes <= RESUME_BYTES
    ) {
      this.#paused = false;
      this.#channel.resumeReading();
    }
    return true;
  }

  #mark(): void {
    const token = {};
    this.#markedAt = this.#read;
    this.#markedBytes = this.#readBytes;
    if (this.#inject({ jsonrpc: '2.0', method: FLOW_MARKER, params: token } as Message)) {
      this.#marks.push({ token, messages: this.#read, bytes: this.#readBytes });
    }
  }
}
