/**
 * One exec of a custom matcher's regexp that took longer than this switches the matcher off
 * for the rest of the run. JavaScript cannot interrupt a running regexp, so this does not
 * bound that one exec; it stops a slow pattern from costing the parent again on every line.
 */
export const SLOW_REGEXP_MS = 50;

/** What a matcher's regexps are run with: whether it may run, and what to do when it was slow. */
export interface ExecGuard {
  /** Set once the matcher was switched off. */
  off: boolean;
  /** Whether to time its execs at all (built-in patterns are known to be linear). */
  timed: boolean;
  /** Called once, when an exec took SLOW_REGEXP_MS or more. */
  slow(ms: number, regexp: RegExp): void;
}

/** `regexp.exec(line)`, or null for a switched-off matcher; times it when the guard says so. */
export function guardedExec(guard: ExecGuard, regexp: RegExp, line: string): RegExpExecArray | null {
  if (guard.off) return null;
  if (!guard.timed) return regexp.exec(line);
  const started = performance.now();
  const match = regexp.exec(line);
  const ms = performance.now() - started;
  if (ms >= SLOW_REGEXP_MS) {
    guard.off = true;
    guard.slow(ms, regexp);
    return null;
  }
  return match;
}
