/**
 * Two execs of a user's regexp on one line that each took longer than this switch it off for
 * the rest of the run. JavaScript cannot interrupt a running regexp, so this does not bound an
 * exec; it stops a slow pattern from costing the parent again on every line.
 */
export const SLOW_REGEXP_MS = 50;

/**
 * One exec that took longer than this switches the regexp off at once, without a second try.
 * Lines are cut to 4,096 characters, but a polynomial regexp (`^(\w*)(\w*)(\w*):`, cubic) can
 * still take seconds on one (about 12 s on a 2-core EPYC), and confirming would pay that again.
 * A GC pause or a busy CPU stretches an exec by tens of milliseconds, not by a second, so this
 * does not mistake a pause for the regexp.
 */
export const STUCK_REGEXP_MS = 1000;

/** When an exec counts as slow: the limits above, or smaller ones in tests. */
export interface ExecLimits {
  /** Slow twice in a row on one line: switched off. */
  slowMs: number;
  /** Slow once: switched off. */
  stuckMs: number;
}

/** What a user's regexps are run with: whether they may run, and what to do when one was slow. */
export interface ExecGuard {
  /** Set once the regexp (a matcher's, or the readiness line's) was switched off. */
  off: boolean;
  /** Whether to time its execs at all (built-in patterns are known to be linear). */
  timed: boolean;
  /** Called once, when the guard switched itself off; `ms` is what the deciding exec took (the faster of two). */
  slow(ms: number, regexp: RegExp): void;
}

const defaultLimits: ExecLimits = { slowMs: SLOW_REGEXP_MS, stuckMs: STUCK_REGEXP_MS };

/** How a warning or error says what the limits are and how to fix the regexp. */
export function slowRegExpAdvice(limits: ExecLimits = defaultLimits): string {
  return (
    `(the limit is ${limits.stuckMs} ms once, or ${limits.slowMs} ms twice in a row); anchor it and avoid ` +
    'adjacent quantifiers that can match the same text, like (\\w*)(\\w*)'
  );
}

/**
 * What one child's runs switched off, kept for the child's life: a matcher, or a readiness
 * condition, by the spec's own object (the same for every run). A restart runs the same regexp
 * over the same tool's output, so trying it afresh would stall the parent once per restart, and
 * a crash loop under `restart: 'always'` would stall it without end. A new child (a spawn with
 * the regexp fixed) starts with none.
 */
export type SwitchedOff = WeakSet<object>;

/** `regexp.exec(line)`, or null once the guard is off; times it when the guard says so. */
export function guardedExec(
  guard: ExecGuard,
  regexp: RegExp,
  line: string,
  limits: ExecLimits = defaultLimits,
): RegExpExecArray | null {
  if (guard.off) return null;
  if (!guard.timed) return regexp.exec(line);
  const first = timeExec(regexp, line);
  if (first.ms < limits.slowMs) return first.match;
  let ms = first.ms;
  if (ms < limits.stuckMs) {
    // A wall clock also counts a GC pause or the scheduler running someone else, which on a
    // loaded machine can cost one exec 50 ms; a regexp that backtracks is slow every time, so
    // only a second slow exec of the same line switches it off.
    const again = timeExec(regexp, line);
    if (again.ms < limits.slowMs) return again.match;
    ms = Math.min(ms, again.ms);
  }
  guard.off = true;
  guard.slow(ms, regexp);
  return null;
}

function timeExec(regexp: RegExp, line: string): { match: RegExpExecArray | null; ms: number } {
  regexp.lastIndex = 0;
  const started = performance.now();
  const match = regexp.exec(line);
  return { match, ms: performance.now() - started };
}
