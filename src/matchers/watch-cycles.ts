import type { DiagnosticSets } from './diagnostic-sets.js';
import type { FileLocator } from './file-location.js';
import { guardedExec, type ExecGuard } from '../options/guarded-exec.js';
import type { ResolvedMatcher } from './parse-matcher.js';

/**
 * A watch cycle of a matcher with `background`: it started (a line matched `beginsPattern`,
 * or the run started, with `activeOnStart`), or it ended (a line matched `endsPattern`) with
 * what its owner holds now: error and warning counts, files with diagnostics, and how long
 * the cycle took.
 */
export type CycleEvent =
  | { phase: 'start'; owner: string }
  | {
      phase: 'end';
      owner: string;
      /**
       * Errors held at the end, or the tool's own count when it printed a higher one (`$tsc-watch`
       * reads tsc's "Found N errors"): errors that name no file cannot be held, but still count.
       */
      errors: number;
      warnings: number;
      files: number;
      durationMs: number;
      /** Of `errors`, those the tool counted but no matcher could file; present only when more than 0. */
      unlocated?: number;
    };

interface Watched {
  matcher: ResolvedMatcher & { background: NonNullable<ResolvedMatcher['background']> };
  guard: ExecGuard;
  locator: FileLocator;
  /** When its current cycle started; undefined between cycles. */
  startedAt: number | undefined;
}

/**
 * The watch cycles of a run's background matchers, as VS Code's WatchingProblemCollector:
 * a begin line of an idle matcher starts a cycle (a begin line while one runs is an ordinary
 * line), an end line of a running one ends it; both lines are consumed. A begin pattern's
 * file group (1 unless given) that matched names the one file the cycle concerns.
 */
export class WatchCycles {
  readonly #watched: Watched[] = [];
  readonly #sets: DiagnosticSets;
  readonly #emit: (event: CycleEvent) => void;

  constructor(
    parts: { matcher: ResolvedMatcher; guard: ExecGuard; locator: FileLocator }[],
    sets: DiagnosticSets,
    emit: (event: CycleEvent) => void,
  ) {
    for (const { matcher, guard, locator } of parts) {
      const { background } = matcher;
      if (background !== undefined) {
        this.#watched.push({ matcher: { ...matcher, background }, guard, locator, startedAt: undefined });
      }
    }
    this.#sets = sets;
    this.#emit = emit;
  }

  /** True when some matcher has cycles. */
  get any(): boolean {
    return this.#watched.length > 0;
  }

  /**
   * The run started: matchers with `activeOnStart` are in a cycle from now, unless an earlier run
   * switched them off (a cycle nothing can end would only show a child forever compiling).
   */
  start(): void {
    for (const watched of this.#watched) {
      if (watched.matcher.background.activeOnStart && !watched.guard.off) this.#begin(watched, undefined);
    }
  }

  /** Whether this line matches some begin or end pattern, whatever the state: such lines are not memoized. */
  mayBeBoundary(line: string): boolean {
    return this.#watched.some(
      ({ guard, matcher: { background } }) =>
        guardedExec(guard, background.begins.regexp, line) !== null ||
        guardedExec(guard, background.ends.regexp, line) !== null,
    );
  }

  /** Looks for a cycle's start, then its end, in a (cleaned) line; true when the line was one. */
  line(line: string): boolean {
    let began = false;
    for (const watched of this.#watched) {
      // A begin line while a cycle runs changes nothing, so it need not be looked for.
      if (watched.startedAt !== undefined) continue;
      const { begins } = watched.matcher.background;
      const match = guardedExec(watched.guard, begins.regexp, line);
      if (match === null) continue;
      const file = match[begins.file];
      this.#begin(watched, file ? watched.locator.locate(file) : undefined);
      began = true;
    }
    if (began) return true;
    let ended = false;
    for (const watched of this.#watched) {
      if (watched.startedAt === undefined) continue;
      if (guardedExec(watched.guard, watched.matcher.background.ends.regexp, line) === null) continue;
      const durationMs = Math.round(performance.now() - watched.startedAt);
      watched.startedAt = undefined;
      const counts = this.#sets.endCycle(watched.matcher.owner);
      const unlocated = countedByTool(watched.matcher.background.errorCount, line) - counts.errors;
      const end = { phase: 'end' as const, owner: watched.matcher.owner, ...counts, durationMs };
      this.#emit(unlocated > 0 ? { ...end, errors: counts.errors + unlocated, unlocated } : end);
      ended = true;
    }
    return ended;
  }

  #begin(watched: Watched, onlyFile: string | undefined): void {
    watched.startedAt = performance.now();
    this.#sets.beginCycle(watched.matcher.owner, onlyFile);
    this.#emit({ phase: 'start', owner: watched.matcher.owner });
  }
}

/** The error count the tool printed in its end line, or 0 when the matcher cannot read one. */
function countedByTool(errorCount: RegExp | undefined, line: string): number {
  const count = errorCount?.exec(line)?.[1];
  return count === undefined ? 0 : Number(count);
}
