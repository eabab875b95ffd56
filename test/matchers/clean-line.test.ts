import t from 'tap';
import { cleanLine, MATCHED_LINE_CHARS } from '../../src/matchers/index.js';

t.test('cleanLine: each special character alone, together, and none', async (t) => {
  t.equal(cleanLine('src/a.ts(1,1): error TS1: a'), 'src/a.ts(1,1): error TS1: a', 'nothing to do');
  t.equal(cleanLine('\x1b[31merror\x1b[0m TS1'), 'error TS1', '7-bit CSI (ESC [)');
  t.equal(cleanLine('\x9b31merror\x9b0m TS1'), 'error TS1', '8-bit CSI');
  t.equal(cleanLine('10%\r50%\rdone'), 'done', 'carriage returns: what a terminal shows last');
  t.equal(cleanLine('a\rb\r'), 'b', 'a trailing carriage return');
  t.equal(cleanLine('\x1b[2K\rsrc/b.ts(2,1): x'), 'src/b.ts(2,1): x', 'both');
  t.equal(cleanLine('y'.repeat(MATCHED_LINE_CHARS + 10)).length, MATCHED_LINE_CHARS, 'cut');
});
