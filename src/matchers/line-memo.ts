import type { Diagnostic } from '../protocol/index.js';

// Bounds: at most 4,096 lines of at most 256 characters, so about 2 MB at worst. A compiler's
// diagnostic line is shorter; a watch compiler reprints the same ones at every cycle.
const MEMO_LINES = 4096;
const MEMO_LINE_CHARS = 256;
// A fill of the memo that brought fewer hits than 1 in 16 of its lines means the output is not
// repeating (every line a new error): until it does again only every 16th new line is
// remembered, so that such a stream does not pay for remembering lines that never come back,
// nor the GC for keeping them. Once the lines kept are hit again (1 hit for 16 kept lines),
// every new line is remembered again.
const SPARSE_EVERY = 16;

/** What one line, given alone to the matchers, was found to be. */
export interface LineVerdict {
  owner: string;
  /** Absolute path. */
  file: string;
  diagnostic: Diagnostic;
  /** Its identity in DiagnosticSets (see problemKey). */
  key: string;
  /** The DiagnosticSets generation in which it was last added (see MatcherEngine). */
  added: number;
}

interface Entry {
  line: string;
  verdict: LineVerdict | null;
  /** The line that followed this one the last time: the guess for the next line. */
  next: Entry | undefined;
}

/**
 * What recent lines turned out to be: a problem (LineVerdict) or nothing (null). Only valid
 * where a line's meaning depends on that line alone, that is when every matcher has one
 * pattern; the engine keeps none otherwise, and clears it when a matcher is switched off.
 * It is emptied, not evicted line by line, when full: cheap, and a compiler's output repeats;
 * where it does not, it remembers only a sample of new lines (see SPARSE_EVERY).
 *
 * A compiler reprints its lines in the same order, so each line remembers the one that
 * followed it: when the next line equals that guess (one string comparison) the map, which
 * must hash the whole line, is not consulted. A wrong guess costs a comparison and falls
 * back to the map, so a verdict is always that of an equal line.
 */
export class LineMemo {
  readonly #lines = new Map<string, Entry>();
  /** The entry of the line last looked up or set, while the lines are known one after another. */
  #last: Entry | undefined;
  /** The line that just missed and the entry before it, so that `set` can link them. */
  #missed: string | undefined;
  #beforeMissed: Entry | undefined;
  #hits = 0;
  #sparse = false;
  #skipped = 0;

  /** The verdict for this line, or undefined when it is not known. */
  get(line: string): LineVerdict | null | undefined {
    const last = this.#last;
    const guess = last?.next;
    if (guess !== undefined && guess.line === line) {
      this.#last = guess;
      this.#hits++;
      return guess.verdict;
    }
    const entry = this.#lines.get(line);
    if (entry === undefined) {
      this.#missed = line;
      this.#beforeMissed = last;
      this.#last = undefined;
      return undefined;
    }
    if (last !== undefined) last.next = entry;
    this.#last = entry;
    this.#hits++;
    return entry.verdict;
  }

  /** Remembers the verdict for a line that `get` just did not know. */
  set(line: string, verdict: LineVerdict | null): void {
    const before = this.#missed === line ? this.#beforeMissed : undefined;
    this.#missed = undefined;
    this.#beforeMissed = undefined;
    if (line.length > MEMO_LINE_CHARS) return;
    if (this.#sparse) {
      // The lines kept are being seen again: the output repeats after all.
      if (this.#hits > 0 && this.#hits * SPARSE_EVERY >= this.#lines.size) this.#sparse = false;
      else if (++this.#skipped % SPARSE_EVERY !== 0) return;
    }
    if (this.#lines.size >= MEMO_LINES) {
      const sparse = this.#hits < MEMO_LINES / SPARSE_EVERY;
      this.clear();
      this.#sparse = sparse;
    }
    const entry: Entry = { line: detach(line), verdict, next: undefined };
    this.#lines.set(entry.line, entry);
    if (before !== undefined) before.next = entry;
    this.#last = entry;
  }

  /** Forgets every line (and whether the output was repeating). */
  clear(): void {
    this.#lines.clear();
    this.#hits = 0;
    this.#sparse = false;
    this.#skipped = 0;
    this.#last = undefined;
    this.#missed = undefined;
    this.#beforeMissed = undefined;
  }
}

/**
 * The same text in a string of its own. A line read from a pipe is a slice of the whole chunk
 * it came in (up to 64 KiB); kept as it is, a memoized 100-character line would keep its chunk
 * alive, and 4,096 of them hundreds of megabytes. Slicing a concatenation makes V8 flatten it
 * into a new string first, so the result refers to a copy of the line alone.
 */
export function detach(line: string): string {
  return ` ${line}`.slice(1);
}
