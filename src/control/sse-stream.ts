import type { ServerResponse } from 'node:http';

/** Bounds of one event stream. */
export interface SseLimits {
  /** Bytes that may wait unsent for a slow client before it is dropped. Default 1 MiB. */
  maxBuffered: number;
  /** A comment line this often keeps idle connections (and proxies) from timing out. Default 15 s. */
  keepAliveMs: number;
}

/**
 * One client of `GET /api/events`: Server-Sent Events written to a response. Frames queued in
 * one turn of the event loop go out in one write. While the socket has not drained the last
 * write, frames wait here; a client that does not read is dropped (its connection destroyed)
 * as soon as more than `maxBuffered` bytes wait for it, so it costs the server a bounded
 * amount of memory; an EventSource then reconnects and resumes with `Last-Event-ID`.
 */
export class SseStream {
  readonly #res: ServerResponse;
  readonly #limits: SseLimits;
  readonly #keepAlive: NodeJS.Timeout;
  readonly #onEnd: (dropped: boolean) => void;
  #queued: string[] = [];
  #queuedBytes = 0;
  #flush: NodeJS.Immediate | undefined;
  /** True while the socket holds a write it has not drained: frames wait in #queued. */
  #blocked = false;
  #ended = false;

  constructor(res: ServerResponse, limits: SseLimits, onEnd: (dropped: boolean) => void) {
    this.#res = res;
    this.#limits = limits;
    this.#onEnd = onEnd;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    // An EventSource waits this long before it reconnects (its default is 3 s).
    res.write('retry: 1000\n\n');
    this.#keepAlive = setInterval(() => this.push(': keep-alive\n\n'), limits.keepAliveMs);
    this.#keepAlive.unref();
    res.on('close', () => this.#end(false));
    res.on('drain', () => {
      this.#blocked = false;
      if (this.#queued.length > 0) this.#flush ??= setImmediate(() => this.#write());
    });
  }

  /** True until the stream has ended (closed by the client, dropped, or ended by the server). */
  get open(): boolean {
    return !this.#ended;
  }

  /** Queues one SSE message (or comment); it is written with the others of this turn. */
  push(frame: string): void {
    if (this.#ended) return;
    this.#queued.push(frame);
    this.#queuedBytes += frame.length;
    if (this.#blocked && this.#queuedBytes > this.#limits.maxBuffered) {
      this.#end(true);
      this.#res.destroy();
      return;
    }
    if (!this.#blocked) this.#flush ??= setImmediate(() => this.#write());
  }

  /** Ends the stream from the server's side. */
  end(): void {
    if (this.#ended) return;
    this.#end(false);
    this.#res.end();
  }

  #write(): void {
    this.#flush = undefined;
    if (this.#ended) return;
    const text = this.#queued.join('');
    this.#queued = [];
    this.#queuedBytes = 0;
    // A false return: the socket's buffer is full; what comes next waits here until 'drain'.
    if (!this.#res.write(text)) this.#blocked = true;
  }

  #end(dropped: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#queued = [];
    this.#queuedBytes = 0;
    clearInterval(this.#keepAlive);
    if (this.#flush) clearImmediate(this.#flush);
    this.#onEnd(dropped);
  }
}
