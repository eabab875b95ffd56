/**
 * A bounded first-in-first-out buffer: pushing past `capacity` drops the oldest item. Backs
 * the event backlog and each child's recent lines, so what a run keeps for late readers is
 * fixed however long it runs and however much its children print.
 */
export class Ring<T> {
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`ring capacity must be >= 1; got ${capacity}`);
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    const end = (this.#start + this.#size) % this.capacity;
    this.#items[end] = item;
    if (this.#size < this.capacity) this.#size++;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** The oldest item, if any. */
  first(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#start];
  }

  /** The newest `count` items (all when undefined), oldest first. */
  last(count: number = this.#size): T[] {
    const n = Math.max(0, Math.min(count, this.#size));
    const out: T[] = [];
    for (let i = this.#size - n; i < this.#size; i++) out.push(this.#items[(this.#start + i) % this.capacity] as T);
    return out;
  }

  /** The items after the first one (from the oldest) for which `isAfter` is true, oldest first. */
  since(isAfter: (item: T) => boolean): T[] {
    let from = this.#size;
    // Newest first: a resume is usually near the end.
    while (from > 0 && isAfter(this.#items[(this.#start + from - 1) % this.capacity] as T)) from--;
    return this.last(this.#size - from);
  }
}
