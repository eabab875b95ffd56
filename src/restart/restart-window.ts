/**
 * Counts restarts inside a sliding window of time. The limit is exact: with `max`
 * restarts allowed, the first `max` are granted and the one after is refused, and old
 * restarts stop counting once they are older than the window.
 */
export class RestartWindow {
  readonly #max: number;
  readonly #windowMs: number;
  #times: number[] = [];

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Restarts inside the window as of `now`. */
  recent(now: number = Date.now()): number {
    this.#times = this.#times.filter((time) => now - time < this.#windowMs);
    return this.#times.length;
  }

  /** Records a restart and returns true, or returns false when the limit is reached. */
  tryTake(now: number = Date.now()): boolean {
    if (this.recent(now) >= this.#max) return false;
    this.#times.push(now);
    return true;
  }

  /** Forgets all restarts, for a start the user asked for. */
  reset(): void {
    this.#times = [];
  }
}
