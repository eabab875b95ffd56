/**
 * Watches a child's heartbeats. The SDK beats every third of the period; a child that
 * sends nothing for two whole periods is hung (its event loop is blocked or it deadlocked),
 * so `onMissed` runs once.
 */
export class HeartbeatWatch {
  readonly #periodMs: number;
  readonly #onMissed: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(periodMs: number, onMissed: () => void) {
    this.#periodMs = periodMs;
    this.#onMissed = onMissed;
    this.beat();
  }

  /** A heartbeat arrived: the deadline moves. */
  beat(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onMissed();
    }, 2 * this.#periodMs);
    this.#timer.unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
