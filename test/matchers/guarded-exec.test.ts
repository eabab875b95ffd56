import t from 'tap';
import { guardedExec, SLOW_REGEXP_MS, type ExecGuard } from '../../src/matchers/guarded-exec.js';

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

const guard = (): ExecGuard & { warnings: number } => ({
  off: false,
  timed: true,
  warnings: 0,
  slow() {
    this.warnings++;
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
