import * as os from 'node:os';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface Waiter {
  grant(release: ReleaseSlot): void;
}

/**
 * The default limit of children between spawn and ready: a start is mostly CPU (a runtime
 * loading its code), so more starts than about twice the cores only slow each other and the
 * parent down; and each spawn blocks the parent's event loop, so fewer of them per turn
 * keep it responsive.
 */
export function defaultMaxConcurrentStarts(): number {
  // availableParallelism() respects CPU affinity; Node before 18.14 has only cpus().
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return 2 * Math.max(1, cores);
}

/**
 * A counting semaphore for child starts: at most `limit` slots are taken at once, waiters get
 * slots in FIFO order, and a wait ends at once (rejecting with the signal's reason) when its
 * signal aborts. A freed slot is handed straight to the oldest waiter, so a new caller cannot
 * overtake the queue. `limit` may be Infinity: then no one ever waits.
 */
export class StartGate {
  readonly limit: number;
  #taken = 0;
  // A Set keeps insertion order (FIFO) and removes an aborted waiter in O(1).
  readonly #waiters = new Set<Waiter>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Slots taken now. */
  get taken(): number {
    return this.#taken;
  }

  /** Callers waiting for a slot now. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** True when a new caller would have to wait. */
  get full(): boolean {
    return this.#taken >= this.limit || this.#waiters.size > 0;
  }

  /**
   * Resolves with a release function once a slot is the caller's. Rejects with
   * `signal.reason` if `signal` aborts first (or already has); the caller is then out of the
   * queue and holds nothing.
   */
  acquire(signal: AbortSignal): Promise<ReleaseSlot> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (!this.full) {
      this.#taken++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      this.#waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.values().next();
      if (next.done) {
        this.#taken--;
        return;
      }
      // The slot changes hands without being counted free, so no one overtakes the queue.
      this.#waiters.delete(next.value);
      next.value.grant(this.#releaser());
    };
  }
}
