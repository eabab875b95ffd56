import t from 'tap';
import { guardedExec, SLOW_REGEXP_MS, type ExecGuard } from '../../src/options/guarded-exec.js';

/** A regexp whose first `slowTimes` execs take longer than the limit, as a GC pause or a busy CPU makes them. */
class SlowRegExp extends RegExp {
  slowTimes: number;
  constructor(source: string, slowTimes: number) {
    super(source);
    this.slowTimes = slowTimes;
  }
  override exec(line: string): RegExpExecArray | null {
    if (this.slowTimes-- > 0) {
      const until = performance.now() + SLOW_REGEXP_MS + 5;
      while (performance.now() < until);
    }
    return super.exec(line);
  }
}

/** A regexp that counts its execs and takes `busyMs` on every line over 100 characters. */
class StuckOnLongLines extends RegExp {
  execs = 0;
  readonly busyMs: number;
  constructor(source: string, busyMs: number) {
    super(source);
    this.busyMs = busyMs;
  }
  override exec(line: string): RegExpExecArray | null {
    this.execs++;
    if (line.length > 100) {
      const until = performance.now() + this.busyMs;
      while (performance.now() < until);
    }
    return super.exec(line);
  }
}

const guard = (): ExecGuard & { warnings: number; ms: number } => ({
  off: false,
  timed: true,
  warnings: 0,
  ms: 0,
  slow(ms) {
    this.warnings++;
    this.ms = ms;
  },
});

t.test('one slow exec (a pause, not the regexp) does not switch a matcher off', async (t) => {
  const g = guard();
  t.equal(guardedExec(g, new SlowRegExp('^(\\w+)$', 1), 'word')?.[1], 'word', 'the line is still matched');
  t.same({ off: g.off, warnings: g.warnings }, { off: false, warnings: 0 });
});

t.test('a regexp slow twice on the same line is switched off, once, with one warning', async (t) => {
  const g = guard();
  const regexp = new SlowRegExp('^(\\w+)$', 2);
  t.equal(guardedExec(g, regexp, 'word'), null, 'no match from a switched-off matcher');
  t.same({ off: g.off, warnings: g.warnings }, { off: true, warnings: 1 });
  t.equal(guardedExec(g, regexp, 'word'), null, 'and it stays off');
  t.equal(g.warnings, 1);
});

t.test('one exec far past the limit switches the regexp off at once: the line is not run again', async (t) => {
  // An exec that takes three times the stuck limit on a long line, every time; short lines are
  // quick. (A real cubic regexp, `^(\\w*)(\\w*)(\\w*):(.*)$` on 768 letters, was used here: on a
  // loaded CI machine its first exec once came in under the 10 ms limit and the line ran twice.)
  const limits = { slowMs: 2, stuckMs: 10 };
  const regexp = new StuckOnLongLines('^(\\w+):(.*)$', 3 * limits.stuckMs);
  const g = guard();
  t.equal(guardedExec(g, regexp, 'a:b', limits)?.[2], 'b', 'a short line is matched');
  const line = 'a'.repeat(768);
  t.equal(guardedExec(g, regexp, line, limits), null);
  t.same({ off: g.off, warnings: g.warnings, execs: regexp.execs }, { off: true, warnings: 1, execs: 2 });
  t.ok(g.ms >= limits.stuckMs, `the time reported is the slow exec's: ${Math.round(g.ms)} ms`);
  t.equal(guardedExec(g, regexp, 'a:b', limits), null, 'and it stays off');
  t.equal(regexp.execs, 2, 'without running');
});
