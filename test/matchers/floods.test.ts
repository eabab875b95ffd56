import t from 'tap';
import type { Test } from 'tap';
import type { Child } from '../../src/index.js';
import { nodeSpec, startSupervisor, within } from '../helpers/index.js';

// Output that no compiler prints must not stall the parent: lines given to matchers are cut
// to 4,096 characters (and the line reader splits lines at 64 Ki characters), so a 10 MB line
// or random bytes cost about as much as the same bytes in short lines. Each test measures the
// longest gap between the parent's 5 ms ticks while the flood runs, and checks that the
// matcher still works after it.

async function flood(t: Test, mode: string): Promise<{ gapMs: number; child: Child }> {
  const sup = await startSupervisor(t);
  let child!: Child;
  const after = new Promise<void>((resolve) =>
    sup.on('child', (c) => {
      child = c;
      c.on('diagnostics', (file) => file === '/tmp/after.ts' && resolve());
    }),
  );
  let gapMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }, 5);
  t.teardown(() => clearInterval(ticker));
  await sup.spawn(
    nodeSpec(mode, 'floods-output.cjs', { args: [mode], connect: 'none', matchers: ['$tsc'], cwd: '/tmp' }),
  );
  await within(after, `the line printed after the ${mode} flood to be matched`);
  clearInterval(ticker);
  t.comment(`${mode}: longest event-loop gap ${gapMs.toFixed(1)} ms`);
  return { gapMs, child };
}

// Generous for a loaded 2-core machine: a stall of the kind this guards against (one regexp
// over 10 MB, a buffer grown without bound) takes seconds.
const STALL_MS = 2000;

t.test('a 10 MB line without a newline', async (t) => {
  const { gapMs, child } = await flood(t, 'long-line');
  t.ok(gapMs < STALL_MS, `no gap of ${STALL_MS} ms or more (longest ${gapMs.toFixed(1)} ms)`);
  t.same([...child.diagnostics.keys()], ['/tmp/after.ts']);
});

t.test('10 MB of random bytes', async (t) => {
  const { gapMs } = await flood(t, 'garbage');
  t.ok(gapMs < STALL_MS, `no gap of ${STALL_MS} ms or more (longest ${gapMs.toFixed(1)} ms)`);
});

t.test('100,000 tsc-style lines a second for a second', async (t) => {
  const { gapMs, child } = await flood(t, 'lines');
  t.ok(gapMs < STALL_MS, `no gap of ${STALL_MS} ms or more (longest ${gapMs.toFixed(1)} ms)`);
  t.equal(child.diagnostics.size, 101, '100 files and after.ts');
  t.equal(child.diagnostics.get('/tmp/src/f7.ts')?.length, 10, 'each of the 10 distinct errors of a file once');
});
