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

/** A real regexp that counts its execs. */
class CountedRegExp extends RegExp {
  execs = 0;
  override exec(line: string): RegExpExecArray | null {
    this.execs++;
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
  // Cubic backtracking: with no ':' in the line every split of the a's into three groups is
  // tried, about 80 ms for 768 characters on a 2-core EPYC, far past the small limits given here.
  const regexp = new CountedRegExp('^(\\w*)(\\w*)(\\w*):(.*)$');
  const limits = { slowMs: 2, stuckMs: 10 };
  const g = guard();
  t.equal(guardedExec(g, regexp, 'a:b', limits)?.[4], 'b', 'a short line is matched');
  const line = 'a'.repeat(768);
  t.equal(guardedExec(g, regexp, line, limits), null);
  t.same({ off: g.off, warnings: g.warnings, execs: regexp.execs }, { off: true, warnings: 1, execs: 2 });
  t.ok(g.ms >= limits.stuckMs, `the time reported is the slow exec's: ${Math.round(g.ms)} ms`);
  t.equal(guardedExec(g, regexp, 'a:b', limits), null, 'and it stays off');
  t.equal(regexp.execs, 2, 'without running');
});
