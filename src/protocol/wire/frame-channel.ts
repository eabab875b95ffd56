import type { Socket } from 'node:net';
import { FrameParser } from './frame-parser.js';
import { DEFAULT_FRAME_DEADLINE_MS } from './limits.js';
import { ProcwireError } from './errors.js';
import { FrameWriter, type WireMessage } from './frame-writer.js';

/** Options of {@link FrameChannel}. */
export interface FrameChannelOptions {
  maxMessageSize: number;
  /** A frame that started arriving must be complete within this many ms. */
  frameDeadlineMs?: number;
}

/**
 * Messages over one socket, framed, with no JSON-RPC semantics: the layer both the
 * handshake and vscode-jsonrpc stand on. Frames are decoded synchronously from the
 * socket's chunks with the size cap enforced before buffering; messages are written by a
 * FrameWriter (one `write` per frame, batched while the peer is behind). Messages that
 * arrive before `listen` are held (the socket is paused meanwhile), so a handshake can take
 * the first one with `nextMessage` and hand the rest on in order. A stream error (oversize,
 * garbage, a stalled frame) is reported once; the owner closes the socket. Imports nothing
 * of vscode-jsonrpc, so a child can say hello and ready before loading it.
 */
export class FrameChannel {
  readonly socket: Socket;
  readonly #parser: FrameParser;
  readonly #frameDeadlineMs: number;
  #held: { message: WireMessage; bytes: number }[] = [];
  #callback: ((message: WireMessage, bytes: number) => void) | undefined;
  #waiter: ((message: WireMessage) => void) | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #failed = false;
  /** Paused by `pauseReading` (backpressure), not by the peer's silence. */
  #pausedByOwner = false;
  readonly #writer: FrameWriter;
  #maxWriteBacklog = Infinity;
  #backlogFull = (): ProcwireError =>
    new ProcwireError(
      'PROTOCOL_ERROR',
      `the peer has not read what was sent to it: ${this.#maxWriteBacklog} messages wait`,
    );
  readonly #errorListeners = new Set<(error: ProcwireError) => void>();
  readonly #closeListeners = new Set<() => void>();

  constructor(socket: Socket, options: FrameChannelOptions) {
    this.socket = socket;
    this.#frameDeadlineMs = options.frameDeadlineMs ?? DEFAULT_FRAME_DEADLINE_MS;
    this.#writer = new FrameWriter(socket);
    this.#parser = new FrameParser(options.maxMessageSize, (message, bytes) => this.#deliver(message, bytes));
    socket.on('data', this.#onData);
    socket.once('close', this.#onClose);
  }

  /** True once the socket has closed or can no longer be written. */
  get closed(): boolean {
    return this.socket.destroyed || !this.socket.writable;
  }

  /**
   * Changes the cap on incoming frames from the next header on: the parent reads a hello with
   * a small cap, so a stranger cannot make it buffer much, and raises it once the hello passed.
   */
  setMaxMessageSize(bytes: number): void {
    this.#parser.setMaxMessageSize(bytes);
  }

  /**
   * Stops reading for backpressure: the owner's queue is behind. A frame half read meanwhile
   * is not late by the peer's fault, so its deadline is suspended until `resumeReading`.
   */
  pauseReading(): void {
    this.#pausedByOwner = true;
    this.#stopDeadline();
    this.socket.pause();
  }

  /** Reads again after `pauseReading`; a half-read frame gets a fresh deadline. */
  resumeReading(): void {
    if (!this.#pausedByOwner) return;
    this.#pausedByOwner = false;
    if (this.#failed || this.socket.destroyed) return;
    this.socket.resume();
    if (this.#parser.hasPartialFrame) this.#startDeadline();
  }

  /** Resolves with the next message, for a handshake that runs before `listen`. */
  nextMessage(): Promise<WireMessage> {
    const held = this.#held.shift();
    if (held !== undefined) return Promise.resolve(held.message);
    return new Promise((resolve) => {
      this.#waiter = resolve;
      this.socket.resume();
    });
  }

  /**
   * Delivers every message from now on (held ones first) to `callback`, with its body's
   * length in bytes.
   */
  listen(callback: (message: WireMessage, bytes: number) => void): () => void {
    this.#callback = callback;
    const held = this.#held;
    this.#held = [];
    for (const { message, bytes } of held) callback(message, bytes);
    this.socket.resume();
    return () => {
      if (this.#callback === callback) this.#callback = undefined;
    };
  }

  /**
   * Sends one message; resolves once it is handed to the socket, rejects if the socket is
   * closed or the message cannot be serialised. No per-write callback: a failed write
   * destroys the socket, which every owner hears as a close.
   */
  write(message: WireMessage): Promise<void> {
    if (this.closed) return Promise.reject(new ProcwireError('CONNECTION_CLOSED', 'the connection is closed'));
    if (this.#writer.backlog >= this.#maxWriteBacklog) {
      const error = this.#backlogFull();
      this.#fail(error);
      return Promise.reject(error);
    }
    return this.#writer.write(message);
  }

  /** Messages written but not yet handed to the socket, because the peer has not read. */
  get writeBacklog(): number {
    return this.#writer.backlog;
  }

  /**
   * Caps the write backlog: a write while `max` messages wait rejects with `full()`'s error,
   * which is also reported as the channel's error (the owner closes the connection). For a
   * parent whose child never reads; unlimited by default.
   */
  limitWriteBacklog(max: number, full: () => ProcwireError): void {
    this.#maxWriteBacklog = max;
    this.#backlogFull = full;
  }

  /** Half-closes the socket after every message written so far; `callback` runs once it is flushed. */
  end(callback?: () => void): void {
    this.#writer.flushAll();
    this.socket.end(callback);
  }

  onError(listener: (error: ProcwireError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Stops reading; the socket itself is the owner's to close. */
  dispose(): void {
    this.#stopDeadline();
    this.socket.off('data', this.#onData);
    this.socket.off('close', this.#onClose);
    this.#callback = undefined;
    this.#waiter = undefined;
    this.#errorListeners.clear();
    this.#closeListeners.clear();
  }

  #deliver(message: WireMessage, bytes: number): void {
    if (this.#callback) {
      this.#callback(message, bytes);
    } else if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(message);
    } else {
      this.#held.push({ message, bytes });
      this.socket.pause();
    }
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#failed) return;
    try {
      this.#parser.push(chunk);
    } catch (error) {
      this.#fail(error as ProcwireError);
      return;
    }
    // The owner may have paused us while this chunk was parsed; then the deadline waits.
    if (this.#parser.hasPartialFrame && !this.#pausedByOwner) this.#startDeadline();
    else this.#stopDeadline();
  };

  readonly #onClose = (): void => {
    this.#writer.abandon();
    this.#stopDeadline();
    for (const listener of [...this.#closeListeners]) listener();
  };

  #fail(error: ProcwireError): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#stopDeadline();
    // Nothing more is read from a broken stream: a peer flooding behind its bad frame must
    // not fill our buffers during the turn before the owner closes the socket.
    this.socket.pause();
    // Reported on the next turn: messages that arrived in the same read before the bad
    // frame (a ready, say) are already queued by their reader and must be handled first.
    setImmediate(() => {
      for (const listener of [...this.#errorListeners]) listener(error);
    });
  }

  #startDeadline(): void {
    // The deadline runs from the frame's first byte, not its latest one, so a peer that
    // trickles a byte at a time cannot hold the connection open forever.
    if (this.#deadline !== undefined) return;
    this.#deadline = setTimeout(() => {
      this.#fail(
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
