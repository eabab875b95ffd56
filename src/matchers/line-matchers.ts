import type { Diagnostic } from '../protocol/index.js';
import { guardedExec, type ExecGuard } from '../options/guarded-exec.js';
import type { ResolvedMatcher } from './parse-matcher.js';
import { fillProblemData, toDiagnostic, type ProblemData } from './problem-data.js';

/** One problem found in the output: by which matcher, the file as printed, and the diagnostic. */
export interface Found {
  matcher: number;
  file: string;
  diagnostic: Diagnostic;
}

const NONE: readonly Entry[] = [];

interface Entry {
  index: number;
  matcher: ResolvedMatcher;
  guard: ExecGuard;
}

/**
 * VS Code's problem collector over lines (AbstractProblemCollector.tryFindMarker): the last
 * N lines are kept, N being the longest matcher's pattern count; after each line, matchers
 * are tried longest first on the lines that end with it, and the first problem found clears
 * the window. A found multi-line problem whose last pattern loops keeps matching following
 * lines with that pattern alone, each a problem sharing what the earlier lines said, until a
 * line does not match; that line then starts afresh.
 */
export class LineMatchers {
  readonly #byLength = new Map<number, Entry[]>();
  readonly #window: string[] = [];
  readonly #windowSize: number;
  #looping: { entry: Entry; data: ProblemData } | undefined;

  constructor(matchers: readonly ResolvedMatcher[], guards: readonly ExecGuard[]) {
    matchers.forEach((matcher, index) => {
      const length = matcher.patterns.length;
      const entry = { index, matcher, guard: guards[index] as ExecGuard };
      this.#byLength.set(length, [...(this.#byLength.get(length) ?? []), entry]);
    });
    this.#windowSize = Math.max(1, ...matchers.map((m) => m.patterns.length));
  }

  /** Takes the next (cleaned) line; returns the problem it completes, if any. */
  push(line: string): Found | undefined {
    if (this.#looping !== undefined) {
      const found = this.#loop(this.#looping, line);
      if (found !== undefined) return found;
      this.#looping = undefined;
      this.#window.length = 0;
    }
    if (this.#window.length === this.#windowSize) this.#window.shift();
    this.#window.push(line);
    const found = this.#tryMatchers();
    if (found !== undefined) this.#window.length = 0;
    return found;
  }

  #tryMatchers(): Found | undefined {
    const lines = this.#window;
    for (let start = 0; start < lines.length; start++) {
      for (const entry of this.#byLength.get(lines.length - start) ?? NONE) {
        const found = this.#handle(entry, lines, start);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  #handle(entry: Entry, lines: readonly string[], start: number): Found | undefined {
    const { patterns } = entry.matcher;
    // Allocated only once the first line matched: most lines match nothing.
    let data: ProblemData | undefined;
    let kept: ProblemData | undefined;
    for (let i = 0; i < patterns.length; i++) {
      const pattern = patterns[i] as (typeof patterns)[number];
      const match = guardedExec(entry.guard, pattern.regexp, lines[start + i] as string);
      if (match === null) return undefined;
      data ??= { kind: patterns[0]?.kind };
      if (pattern.loop) {
        // What the lines before the looping one said, for each later line to start from.
        kept = data;
        data = { ...data };
      }
      fillProblemData(data, pattern, match);
    }
    const found = data === undefined ? undefined : this.#found(entry, data);
    if (found !== undefined && kept !== undefined) this.#looping = { entry, data: kept };
    return found;
  }

  #loop(looping: { entry: Entry; data: ProblemData }, line: string): Found | undefined {
    const { patterns } = looping.entry.matcher;
    const pattern = patterns[patterns.length - 1] as (typeof patterns)[number];
    const match = guardedExec(looping.entry.guard, pattern.regexp, line);
    if (match === null) return undefined;
    const data = { ...looping.data };
    fillProblemData(data, pattern, match);
    return this.#found(looping.entry, data);
  }

  #found(entry: Entry, data: ProblemData): Found | undefined {
    const { matcher } = entry;
    const diagnostic = toDiagnostic(data, matcher.severity, matcher.source);
    return diagnostic === undefined ? undefined : { matcher: entry.index, file: data.file as string, diagnostic };
  }
}
