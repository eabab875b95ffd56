// formatDiagnostic is pure: the printed line for each kind of code, without processes. The same
// lines printed by `procwire run` over real output are in matchers.test.ts and run-summary.test.ts.
import t from 'tap';
import { formatDiagnostic, makePaint } from '../../src/cli/format.js';
import { BUILTIN_PATTERNS } from '../../src/matchers/builtins.js';
import type { Diagnostic } from '../../src/protocol/index.js';

const plain = makePaint({ isTTY: false } as NodeJS.WriteStream, {});
const at = (line: number, character: number): Diagnostic['range'] => ({
  start: { line, character },
  end: { line, character },
});
const print = (diagnostic: Partial<Diagnostic>): string =>
  formatDiagnostic('/p/src/a.ts', { range: at(0, 6), message: 'm', severity: 1, ...diagnostic }, plain, '/p');

t.test("a ts diagnostic's number gets tsc's TS prefix back, so editors' $tsc regexps read the line", async (t) => {
  t.equal(print({ source: 'ts', code: '2322' }), 'src/a.ts:1:7 - error TS2322: m');
  t.equal(print({ source: 'ts', code: 2554, severity: 2 }), 'src/a.ts:1:7 - warning TS2554: m', 'a numeric code too');
  // VS Code's own $tsc pattern (copied in builtins.ts) reads the printed line back.
  const tsc = new RegExp((BUILTIN_PATTERNS.tsc as { regexp: string }).regexp);
  t.same(print({ source: 'ts', code: '2322' }).match(tsc)?.slice(1), ['src/a.ts', '1', '7', 'error', '2322', 'm']);
});

t.test('every other code prints as it was reported', async (t) => {
  t.equal(print({ source: 'tsc', code: 'TS2322' }), 'src/a.ts:1:7 - error TS2322: m', 'the SDK may send it prefixed');
  t.equal(print({ source: 'ts', code: 'TS2322' }), 'src/a.ts:1:7 - error TS2322: m', 'never TSTS');
  t.equal(print({ source: 'eslint', code: 'no-undef' }), 'src/a.ts:1:7 - error no-undef: m');
  t.equal(print({ source: 'mylint', code: '2322' }), 'src/a.ts:1:7 - error 2322: m', 'digits from another tool');
  t.equal(print({ source: 'gcc' }), 'src/a.ts:1:7 - error: m', 'no code');
});
