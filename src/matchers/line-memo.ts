import type { Diagnostic } from '../protocol/index.js';

// Bounds: at most 4,096 lines of at most 256 characters, kept twice (as keys and on the
// tape, see recallRun), so about 3 MB at worst. A compiler's diagnostic line is shorter; a
// watch compiler reprints the same ones at every cycle.
const MEMO_LINES = 4096;
const MEMO_LINE_CHARS = 256;
// A fill of the memo that brought fewer hits than 1 in 16 of its lines means the output is not
// repeating (every line a new error): until it does again only every 16th new line is
// remembered, so that such a stream does not pay for remembering lines that never come back,
// nor the GC for keeping them. Once the lines kept are hit again (1 hit for 16 kept lines),
// every new line is remembered again.
const SPARSE_EVERY = 16;
// See recallRun.
const LONG_RUN_LINES = 8;

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

/** What LineMemo.recallRun took: how many lines, and where in the text the first line it did not take starts. */
export interface RecalledRun {
  lines: number;
  end: number;
}

interface Entry {
  line: string;
  verdict: LineVerdict | null;
  /** The line that followed this one the last time: the guess for the next line. */
  next: Entry | undefined;
  /** Where the line starts in the tape (see LineMemo.recallRun), and its place in the tape's entries. */
  at: number;
  index: number;
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
 * back to the map, so a verdict is always that of an equal line. The lines are also kept in
 * one string in the order they were remembered, the tape, so that a whole pipe read printed
 * again is recalled with one comparison (recallRun); a run's lines are exactly the tape's,
 * since no line holds a `\n`.
 */
export class LineMemo {
  readonly #lines = new Map<string, Entry>();
  /** The entry of the line last looked up or set, while the lines are known one after another. */
  #last: Entry | undefined;
  /** The line that just missed and the entry before it, so that `set` can link them. */
  #missed: string | undefined;
  #beforeMissed: Entry | undefined;
  #hits = 0;
  /** Remembered lines that are a problem, and how many of their verdicts were not yet handed out in `#generation`. */
  #problems = 0;
  #stale = 0;
  #generation = -1;
  #sparse = false;
  #skipped = 0;
  /** Every remembered line, each followed by `\n`, in the order they were remembered. */
  #tape = '';
  #tapeEntries: Entry[] = [];

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

  /**
   * Like `get`, and a problem not yet handed out in `generation` (a DiagnosticSets generation)
   * is given to `add` and marked as added in it.
   */
  recall(line: string, generation: number, add: (verdict: LineVerdict) => void): LineVerdict | null | undefined {
    const known = this.get(line);
    if (known !== null && known !== undefined && known.added !== generation) {
      this.#sync(generation);
      this.#handOut(known, generation, add);
    }
    return known;
  }

  /** Remembers the verdict for a line that `get` just did not know; a problem must have been added just now. */
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
    const entry: Entry = { line: detach(line), verdict, next: undefined, at: this.#tape.length, index: 0 };
    entry.index = this.#tapeEntries.push(entry) - 1;
    if (verdict !== null) {
      // It was just added (its `added` is the current generation): not stale.
      this.#sync(verdict.added);
      this.#problems++;
    }
    this.#tape += `${entry.line}\n`;
    this.#lines.set(entry.line, entry);
    if (before !== undefined) before.next = entry;
    this.#last = entry;
  }

  /**
   * Recalls, at once, the lines of `text` from `start` to `end` (each ending in `\n`) that
   * are, in order, remembered lines that were remembered one after another: the tape holds
   * them in that order, so a whole run is one string comparison instead of one per line. It
   * starts at the tape's line after the last one looked up, else at the first line's own
   * place, and stops at the first line that is not the tape's next (the rest goes line by
   * line, through `get`). Gives `add` the verdict of every recalled line that is a problem
   * not yet handed out in `generation` (a DiagnosticSets generation), in order, and marks it
   * as added in it; returns how many lines it recalled and where the first line it did not starts.
   */
  recallRun(
    text: string,
    start: number,
    end: number,
    generation: number,
    add: (verdict: LineVerdict) => void,
  ): RecalledRun {
    this.#sync(generation);
    let pos = start;
    let count = 0;
    while (pos < end) {
      const matched = this.#matchRun(text, pos, end);
      if (matched === undefined) break;
      const { from, length } = matched;
      const stop = from.at + length;
      const entries = this.#tapeEntries;
      let i: number;
      if (this.#stale === 0) {
        // Every problem on the tape was handed out in this generation (a reprint without a cycle
        // boundary, as a one-shot compiler's output is): the run's lines need not be visited.
        let hi = entries.length;
        i = from.index + 1;
        while (i < hi) {
          const mid = (i + hi) >>> 1;
          if ((entries[mid] as Entry).at < stop) i = mid + 1;
          else hi = mid;
        }
      } else {
        i = from.index;
        for (let entry = from; entry.at < stop; entry = entries[i] as Entry) {
          const verdict = entry.verdict;
          if (verdict !== null && verdict.added !== generation) this.#handOut(verdict, generation, add);
          if (++i === entries.length) break;
        }
      }
      this.#last = entries[i - 1];
      const lines = i - from.index;
      count += lines;
      pos += length;
      // Stopped before the tape's end, at a line that is not the tape's next one. After a long
      // run that is a gap (a fixed error) or a new line, and the next run is looked for at
      // once; after a short one the output is not in the tape's order, and the lines go one
      // by one.
      if (stop < this.#tape.length && lines < LONG_RUN_LINES) break;
    }
    this.#hits += count;
    this.#missed = undefined;
    this.#beforeMissed = undefined;
    return { lines: count, end: pos };
  }

  /** A new generation (a cycle boundary): no problem was handed out in it yet. */
  #sync(generation: number): void {
    if (generation === this.#generation) return;
    this.#generation = generation;
    this.#stale = this.#problems;
  }

  #handOut(verdict: LineVerdict, generation: number, add: (verdict: LineVerdict) => void): void {
    verdict.added = generation;
    this.#stale--;
    add(verdict);
  }

  /**
   * Where the run at `text[pos]` is on the tape, and how long it is: first tried from the
   * tape's line after the last one looked up (a reprint going on), then from the first line's
   * own place.
   */
  #matchRun(text: string, pos: number, end: number): { from: Entry; length: number } | undefined {
    const after = this.#last === undefined ? undefined : this.#tapeEntries[this.#last.index + 1];
    if (after !== undefined) {
      const length = this.#matchedLength(text, pos, end, after);
      if (length > 0) return { from: after, length };
    }
    const nl = text.indexOf('\n', pos);
    const from = this.#lines.get(text.slice(pos, nl));
    if (from === undefined || from === after) return undefined;
    const length = this.#matchedLength(text, pos, end, from);
    return length > 0 ? { from, length } : undefined;
  }

  /**
   * How many characters of `text` from `pos` (up to `end`, a line's end) equal the tape from
   * `from`'s line on, in whole lines. Two comparisons when the whole run matches (its first
   * line, then all of it); otherwise a binary search over the tape's line ends, in which a
   * failing comparison stops at the first difference.
   */
  #matchedLength(text: string, pos: number, end: number, from: Entry): number {
    const tape = this.#tape;
    const entries = this.#tapeEntries;
    const most = Math.min(end - pos, tape.length - from.at);
    // Both ends are line ends (text's `end`, the tape's last `\n`), so equal means whole lines.
    const same = (length: number): boolean => text.slice(pos, pos + length) === tape.slice(from.at, from.at + length);
    const endOf = (index: number): number => (entries[index + 1]?.at ?? tape.length) - from.at;
    // The first line alone first: where the run does not even start, that is all it costs.
    const first = endOf(from.index);
    if (first > most || !same(first)) return 0;
    if (same(most)) return most;
    // The lines from `from` up to lo - 1 match; the line hi and those after it do not.
    let lo = from.index + 1;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const length = endOf(mid);
      if (length <= most && same(length)) lo = mid + 1;
      else hi = mid;
    }
    return endOf(lo - 1);
  }

  /** Forgets every line (and whether the output was repeating). */
  clear(): void {
    this.#tape = '';
    this.#tapeEntries = [];
    this.#lines.clear();
    this.#hits = 0;
    this.#problems = 0;
    this.#stale = 0;
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
