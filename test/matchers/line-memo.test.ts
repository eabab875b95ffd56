import vm from 'node:vm';
import v8 from 'node:v8';
import t from 'tap';
import { LineMemo, type LineVerdict } from '../../src/matchers/line-memo.js';

// The memo guesses each line from the one before (a compiler reprints in order) and compares
// before it hashes; a guess must never stand in for a line that only looks like it.

const verdict = (file: string): LineVerdict => ({
  owner: 'o',
  file,
  diagnostic: { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: file },
  key: file,
  added: -1,
});

function remembered(lines: string[]): LineMemo {
  const memo = new LineMemo();
  for (const line of lines) {
    if (memo.get(line) === undefined) memo.set(line, line.startsWith('-') ? null : verdict(line));
  }
  return memo;
}

t.test('reprinted in order, out of order, or changed: each line gets the verdict of an equal line', async (t) => {
  const memo = remembered(['a.ts(1,1)', 'b.ts(2,2)', '-noise', 'c.ts(3,3)']);
  t.equal(memo.get('a.ts(1,1)')?.file, 'a.ts(1,1)', 'the first line, from the map');
  t.equal(memo.get('b.ts(2,2)')?.file, 'b.ts(2,2)', 'the guessed next line');
  t.equal(memo.get('-noise'), null, 'a line that was nothing is still nothing');
  t.equal(memo.get('c.ts(3,3)')?.file, 'c.ts(3,3)');
  t.equal(memo.get('a.ts(1,1)')?.file, 'a.ts(1,1)', 'a cycle starts again');
  t.equal(memo.get('b.ts(2,3)'), undefined, 'the guess, one character changed at the end, is not known');
  t.equal(memo.get('c.ts(3,3)')?.file, 'c.ts(3,3)', 'after a miss the map still answers');
  t.equal(memo.get('b.ts(2,2)')?.file, 'b.ts(2,2)', 'out of order');
  t.equal(memo.get('-noisy'), undefined, 'a line as long as the guess, different in one character');
});

t.test('a line that missed and was set links from the line before it; clear forgets everything', async (t) => {
  const memo = remembered(['x.ts(1,1)', 'y.ts(1,1)']);
  t.equal(memo.get('x.ts(1,1)')?.file, 'x.ts(1,1)');
  t.equal(memo.get('z.ts(1,1)'), undefined);
  memo.set('z.ts(1,1)', verdict('z.ts(1,1)'));
  t.equal(memo.get('x.ts(1,1)')?.file, 'x.ts(1,1)');
  t.equal(memo.get('z.ts(1,1)')?.file, 'z.ts(1,1)', 'z now follows x');
  t.equal(memo.get('y.ts(1,1)')?.file, 'y.ts(1,1)');
  memo.clear();
  t.equal(memo.get('x.ts(1,1)'), undefined);
  t.equal(memo.get('y.ts(1,1)'), undefined);
});

t.test('a remembered line does not keep the pipe chunk it was cut from alive', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const memo = new LineMemo();
  gc();
  const before = process.memoryUsage().heapUsed;
  // 64 chunks of 1 MiB, as lines read from a pipe are slices of the chunk they came in.
  for (let i = 0; i < 64; i++) {
    const chunk = `${'x'.repeat(2 ** 20)}\nsrc/f${i}.ts(1,1): error TS1: m\n`;
    const line = chunk.slice(2 ** 20 + 1, chunk.length - 1);
    // The verdict names its own strings: only the key can keep the chunk.
    if (memo.get(line) === undefined) memo.set(line, verdict(`f${i}`));
  }
  gc();
  const grownMiB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  t.equal(memo.get('src/f63.ts(1,1): error TS1: m')?.file, 'f63', 'still remembered');
  t.ok(grownMiB < 16, `the heap grew ${grownMiB.toFixed(1)} MiB for 64 short lines (64 MiB if chunks were kept)`);
});

t.test(
  'output that does not repeat is sampled: every 16th new line is remembered until lines repeat again',
  async (t) => {
    const memo = new LineMemo();
    const feed = (line: string): LineVerdict | null | undefined => {
      const known = memo.get(line);
      if (known === undefined) memo.set(line, verdict(line));
      return known;
    };
    // A whole fill (4,096 lines) without a hit, then the first line after it.
    for (let i = 0; i <= 4096; i++) feed(`new ${i}`);
    const next = Array.from({ length: 64 }, (_, i) => `sampled ${i}`);
    for (const line of next) feed(line);
    const kept = next.filter((line) => memo.get(line) !== undefined).length;
    t.ok(kept >= 3 && kept <= 5, `${kept} of 64 new lines remembered (1 in 16)`);
    // Output that repeats (100 lines, 3 times): the lines kept are hit, and every line is kept again.
    const block = Array.from({ length: 100 }, (_, i) => `block ${i}`);
    for (let pass = 0; pass < 3; pass++) for (const line of block) feed(line);
    t.equal(block.filter((line) => memo.get(line) !== undefined).length, 100, 'the repeating lines are all remembered');
    const fresh = Array.from({ length: 64 }, (_, i) => `fresh ${i}`);
    for (const line of fresh) feed(line);
    t.equal(fresh.filter((line) => memo.get(line) !== undefined).length, 64, 'and new lines again');
  },
);
