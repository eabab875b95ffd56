import type { Diagnostic } from '../protocol/index.js';

// Bounds: at most 4,096 lines of at most 256 characters, so about 2 MB at worst. A compiler's
// diagnostic line is shorter; a watch compiler reprints the same ones at every cycle.
const MEMO_LINES = 4096;
const MEMO_LINE_CHARS = 256;

/** What one line, given alone to the matchers, was found to be. */
export interface LineVerdict {
  owner: string;
  /** Absolute path. */
  file: string;
  diagnostic: Diagnostic;
  /** Its identity in DiagnosticSets (see problemKey). */
  key: string;
}

/**
 * What recent lines turned out to be: a problem (LineVerdict) or nothing (null). Only valid
 * where a line's meaning depends on that line alone, that is when every matcher has one
 * pattern; the engine keeps none otherwise, and clears it when a matcher is switched off.
 * It is emptied, not evicted line by line, when full: cheap, and a compiler's output repeats.
 */
export class LineMemo {
  readonly #lines = new Map<string, LineVerdict | null>();

  /** The verdict for this line, or undefined when it is not known. */
  get(line: string): LineVerdict | null | undefined {
    return this.#lines.get(line);
  }

  set(line: string, verdict: LineVerdict | null): void {
    if (line.length > MEMO_LINE_CHARS) return;
    if (this.#lines.size >= MEMO_LINES) this.#lines.clear();
    this.#lines.set(line, verdict);
  }

  clear(): void {
    this.#lines.clear();
  }
}
