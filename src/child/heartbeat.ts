/**
 * Watches a child's heartbeats. The SDK beats every third of the period; a child that
 * sends nothing for two whole periods is hung (its event loop is blocked or it deadlocked),
 * so `onMissed` runs once. Before that verdict the watch waits one I/O turn and then
 * `settle()` (the connection handling everything read so far): when it is the parent that
 * was blocked, the child's beats are in the socket or the JSON-RPC queue, not missing.
 */
export class HeartbeatWatch {
  readonly #periodMs: number;
  readonly #onMissed: () => void;
  readonly #settle: () => Promise<void>;
  #timer: NodeJS.Timeout | undefined;
  #beats = 0;
  #stopped = false;

  constructor(periodMs: number, onMissed: () => void, settle: () => Promise<void> = () => Promise.resolve()) {
    this.#periodMs = periodMs;
    this.#onMissed = onMissed;
    this.#settle = settle;
    this.beat();
  }

  /** A heartbeat arrived: the deadline moves. */
  beat(): void {
    this.#beats++;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#recheck(this.#beats);
    }, 2 * this.#periodMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #recheck(beats: number): void {
    // setImmediate runs after the poll phase, which reads what the socket holds.
    setImmediate(() => {
      void this.#settle().then(() => {
        if (!this.#stopped && this.#beats === beats) this.#onMissed();
      });
    });
  }
}
