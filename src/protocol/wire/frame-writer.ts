import type { Socket } from 'node:net';
import { ProcwireError } from './errors.js';

/** A JSON-RPC message as it travels: any JSON object. */
export type WireMessage = object;

/** Encodes one message as an LSP base-protocol frame: header and body in one string. */
export function encodeFrame(message: WireMessage): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

const WRITTEN = Promise.resolve();
/**
 * How much a drain sends in one write. Big enough that a burst costs few syscalls, small
 * enough that the next batch is encoded while the peer parses this one.
 */
const BATCH_BYTES = 64 * 1024;

interface Pending {
  message: WireMessage;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Writes frames to a socket. While the socket keeps up, each message is encoded and written
 * at once, one `write` per frame. Once it needs drain, messages wait unencoded, in order,
 * and each drain encodes and sends the next batch as one write: a child that publishes
 * faster than its parent reads spends its time encoding while the parent parses, instead
 * of holding every frame of the burst as a string. Like vscode-jsonrpc's own writer, a
 * message is serialised when it is sent: do not change it after `write`.
 */
export class FrameWriter {
  readonly #socket: Socket;
  #backlog: Pending[] = [];

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** How many messages wait for the socket to drain. */
  get backlog(): number {
    return this.#backlog.length;
  }

  /**
   * Resolves once the frame is handed to the socket; rejects with a TypeError when the
   * message cannot be serialised, or CONNECTION_CLOSED when the socket closed first.
   */
  write(message: WireMessage): Promise<void> {
    if (this.#backlog.length === 0 && !this.#socket.writableNeedDrain) {
      let frame: string;
      try {
        frame = encodeFrame(message);
      } catch (error) {
        return Promise.reject(error);
      }
      this.#socket.write(frame);
      return WRITTEN;
    }
    if (this.#backlog.length === 0) this.#socket.once('drain', this.#flush);
    return new Promise((resolve, reject) => this.#backlog.push({ message, resolve, reject }));
  }

  /** Sends everything waiting, now, whatever the socket's buffer holds (before an end). */
  flushAll(): void {
    this.#socket.off('drain', this.#flush);
    while (this.#backlog.length > 0) this.#sendBatch();
  }

  /** Fails everything waiting: the socket is gone. */
  abandon(): void {
    this.#socket.off('drain', this.#flush);
    const backlog = this.#backlog;
    this.#backlog = [];
    for (const pending of backlog)
      pending.reject(new ProcwireError('CONNECTION_CLOSED', 'the connection closed before the message was sent'));
  }

  readonly #flush = (): void => {
    if (this.#socket.destroyed) {
      this.abandon();
      return;
    }
    // Keep sending while the socket takes it; stop at the first batch that fills it.
    while (this.#backlog.length > 0) {
      if (!this.#sendBatch()) {
        if (this.#backlog.length > 0) this.#socket.once('drain', this.#flush);
        return;
      }
    }
  };

  /** Encodes and writes up to BATCH_BYTES of the backlog; returns what `socket.write` did. */
  #sendBatch(): boolean {
    const frames: string[] = [];
    const sent: Pending[] = [];
    let bytes = 0;
    while (bytes < BATCH_BYTES) {
      const pending = this.#backlog.shift();
      if (pending === undefined) break;
      let frame: string;
      try {
        frame = encodeFrame(pending.message);
      } catch (error) {
        pending.reject(error);
        continue;
      }
      frames.push(frame);
      sent.push(pending);
      bytes += frame.length;
    }
    const flushed =
      frames.length === 0 || this.#socket.write(frames.length === 1 ? (frames[0] as string) : frames.join(''));
    for (const pending of sent) pending.resolve();
    return flushed;
  }
}
