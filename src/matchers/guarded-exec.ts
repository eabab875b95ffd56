/**
 * Two execs of a custom matcher's regexp on one line that each took longer than this switch
 * the matcher off for the rest of the run. JavaScript cannot interrupt a running regexp, so this does not
 * bound that one exec; it stops a slow pattern from costing the parent again on every line.
 */
export const SLOW_REGEXP_MS = 50;

/** What a matcher's regexps are run with: whether it may run, and what to do when it was slow. */
export interface ExecGuard {
  /** Set once the matcher was switched off. */
  off: boolean;
  /** Whether to time its execs at all (built-in patterns are known to be linear). */
  timed: boolean;
  /** Called once, when an exec took SLOW_REGEXP_MS or more twice on one line. */
  slow(ms: number, regexp: RegExp): void;
}

/** `regexp.exec(line)`, or null for a switched-off matcher; times it when the guard says so. */
export function guardedExec(guard: ExecGuard, regexp: RegExp, line: string): RegExpExecArray | null {
  if (guard.off) return null;
  if (!guard.timed) return regexp.exec(line);
  const first = timeExec(regexp, line);
  if (first.ms < SLOW_REGEXP_MS) return first.match;
  // A wall clock also counts a GC pause or the scheduler running someone else, which on a
  // loaded machine can cost one exec 50 ms; a regexp that backtracks is slow every time, so
  // only a second slow exec of the same line switches the matcher off.
  const again = timeExec(regexp, line);
  if (again.ms < SLOW_REGEXP_MS) return again.match;
  guard.off = true;
  guard.slow(Math.min(first.ms, again.ms), regexp);
  return null;
}

function timeExec(regexp: RegExp, line: string): { match: RegExpExecArray | null; ms: number } {
  regexp.lastIndex = 0;
  const started = performance.now();
  const match = regexp.exec(line);
  return { match, ms: performance.now() - started };
}
