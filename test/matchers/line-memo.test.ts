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

let generations = 0;

/**
 * What recallRun gives over `text`: by default in a new generation, so every problem is handed
 * out again.
 */
function runOver(memo: LineMemo, text: string, start = 0, end = text.length, generation = ++generations) {
  const files: string[] = [];
  const run = memo.recallRun(text, start, end, generation, (known) => files.push(known.file));
  return { ...run, files };
}

const tape = Array.from({ length: 10 }, (_, i) => (i % 3 === 2 ? `-noise ${i}` : `src/f${i}.ts(${i},1): e`));
const text = (lines: string[], eol = '\n') => lines.map((line) => `${line}${eol}`).join('');

t.test('a reprint, cut anywhere by pipe reads, is recalled as runs of the tape', async (t) => {
  const memo = remembered(tape);
  // From the middle of the tape, across its end and on from its start: two runs.
  const lines = [...tape.slice(4), ...tape.slice(0, 3)];
  const run = runOver(memo, text(lines));
  t.equal(run.lines, lines.length, 'every line');
  t.equal(run.end, text(lines).length, 'to the end of the text');
  t.same(
    run.files,
    lines.filter((line) => !line.startsWith('-')),
    'the problems, in order; a line that was nothing gives nothing',
  );
  // The next read goes on from the line after the last one: found without hashing its first line.
  const rest = runOver(memo, text(tape.slice(3, 6)));
  t.equal(rest.lines, 3, 'the next read continues the run');
  t.same(rest.files, [tape[3], tape[4]]);
  t.equal(memo.get(tape[6] as string)?.file, tape[6], 'and a line given alone after it is known');
  // A run that starts at a given offset and stops before the text's end.
  const offset = text(['ignored']).length;
  const part = runOver(
    memo,
    text(['ignored', ...tape.slice(7), 'not this']),
    offset,
    offset + text(tape.slice(7)).length,
  );
  t.same([part.lines, part.end], [3, offset + text(tape.slice(7)).length], 'from start to end only');
});

t.test("a run stops at the first line that is not the tape's next, wherever it is", async (t) => {
  const memo = remembered(tape);
  for (const at of [0, 1, 5, 8]) {
    memo.get('unrelated');
    const lines = [...tape.slice(0, at), 'src/new.ts(1,1): e', ...tape.slice(at)];
    const run = runOver(memo, text(lines));
    t.equal(run.lines, at, `a new line after ${at} known ones`);
    t.equal(run.end, text(tape.slice(0, at)).length, 'and the rest is left where the new line starts');
  }
  memo.get('unrelated');
  const changed = [...tape.slice(0, 9), `${tape[9]}x`];
  t.equal(runOver(memo, text(changed)).lines, 9, 'the last line, one character longer');
  memo.get('unrelated');
  const shorter = [...tape.slice(0, 4), (tape[4] as string).slice(0, -1), ...tape.slice(5)];
  t.equal(runOver(memo, text(shorter)).lines, 4, 'a line one character shorter');
  memo.get('unrelated');
  t.equal(runOver(memo, text(['src/unknown.ts(1,1): e', ...tape])).lines, 0, 'an unknown first line: nothing');
  memo.get('unrelated');
  t.equal(runOver(memo, text(tape.slice(0, 4), '\r\n')).lines, 0, 'CRLF lines go one by one');
});

t.test('a line that was never remembered (too long, or not kept) breaks a run', async (t) => {
  const long = `src/long.ts(1,1): ${'x'.repeat(300)}`;
  const memo = remembered(['a.ts(1,1): e', long, 'b.ts(1,1): e']);
  t.equal(memo.get(long), undefined, 'a line over 256 characters is never remembered');
  memo.get('unrelated');
  const run = runOver(memo, text(['a.ts(1,1): e', long, 'b.ts(1,1): e']));
  t.equal(run.lines, 1, 'the run stops before it');
  memo.clear();
  t.equal(runOver(memo, text(['a.ts(1,1): e'])).lines, 0, 'clear forgets the tape');
});

t.test('a problem is handed out once per generation, whether recalled alone or in a run', async (t) => {
  const memo = remembered(tape);
  const problems = tape.filter((line) => !line.startsWith('-'));
  const all = text(tape);
  const gen = ++generations;
  t.same(runOver(memo, all, 0, all.length, gen).files, problems, 'a new generation: every problem');
  const again = runOver(memo, all, 0, all.length, gen);
  t.same(
    [again.files, again.lines, again.end],
    [[], tape.length, all.length],
    'the same generation: none, every line taken',
  );
  const handed: string[] = [];
  memo.recall(tape[0] as string, gen, (known) => handed.push(known.file));
  t.same(handed, [], 'nor alone');

  const next = ++generations;
  memo.recall(tape[0] as string, next, (known) => handed.push(known.file));
  t.same(handed, [tape[0]], 'the next generation hands it out alone');
  t.same(runOver(memo, all, 0, all.length, next).files, problems.slice(1), 'and a run the others');
  t.same(runOver(memo, all, 0, all.length, next).files, [], 'once');
  // A new problem, added in this generation, then remembered after the tape's last line.
  const added = { ...verdict('src/new.ts(1,1): e'), added: next };
  memo.get('src/new.ts(1,1): e');
  memo.set('src/new.ts(1,1): e', added);
  const longer = text([...tape, 'src/new.ts(1,1): e']);
  const run = runOver(memo, longer, 0, longer.length, next);
  t.same([run.files, run.lines], [[], tape.length + 1], 'a problem just added is not handed out again');
  t.same(
    runOver(memo, longer, 0, longer.length).files,
    [...problems, 'src/new.ts(1,1): e'],
    'a later generation: all of them',
  );
});
