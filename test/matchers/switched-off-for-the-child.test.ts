import t from 'tap';
import { once } from 'node:events';
import { isProcwireError, type ProcwireError } from '../../src/index.js';
import { nodeSpec, recordOutput, startSupervisor } from '../helpers/index.js';

// A regexp switched off as too slow stays off for the child's later runs: a restart prints the
// same line, and trying the regexp afresh would stall the parent once per restart (without end
// under restart: 'always'). Real children that crash-loop (prints-lines-then-fails.cjs,
// prints-on-signal.cjs) under an on-failure policy.

const fast = { restart: 'on-failure' as const, maxRestarts: 2, backoff: { initial: 0, max: 0, jitter: 0 } };
const warnings = (logs: { level: string; message: string }[]) =>
  logs.filter((entry) => entry.level === 'warn').map((entry) => entry.message);

t.test('a matcher switched off in one run stays off in the next runs, which say so', async (t) => {
  const sup = await startSupervisor(t);
  const output = recordOutput(sup);
  // Cubic when the line does not end in '=' (about 0.3 s for 900 characters on a 2-core EPYC,
  // past the 50 ms limit twice); short lines are matched at once.
  const slow = { pattern: { regexp: '^(\\S+):(\\d+) (.*)(.*)(.*)=$', message: 3 } };
  const lines = ['a.c:1 fine=', `a.c:2 ${'x'.repeat(900)}`, 'a.c:3 after='];
  const matched: number[] = [];
  sup.on('child', (child) =>
    child.on('diagnostics', (_file, list) => {
      if (list.length > 0) matched.push(child.restarts);
    }),
  );
  const child = await sup.spawn(
    nodeSpec('crashloop', 'prints-lines-then-fails.cjs', {
      args: [JSON.stringify(lines)],
      connect: 'none',
      ports: 'off',
      matchers: [slow],
      ...fast,
    }),
  );
  const [gaveUp] = (await once(child, 'gave-up')) as [ProcwireError];
  t.equal(gaveUp.code, 'GAVE_UP', 'three runs, then the policy gave up');
  t.match(warnings(output.logs), [
    /^procwire: child "crashloop": problem matcher matchers\[0\] \(owner "matchers\[0\]"\) is switched off for this child: its regexp .* took \d+ ms on one line/,
    /^procwire: child "crashloop": problem matcher matchers\[0\] \(owner "matchers\[0\]"\) stays switched off: an earlier run of this child found its regexp too slow .* Fix the regexp and spawn the child anew\.$/,
    /stays switched off/,
  ]);
  t.equal(warnings(output.logs).length, 3, 'one warning per run, and the regexp is switched off once');
  t.same(matched, [0], "only the first run matched (its first line); the later runs' matcher never ran");
});

t.test('a readiness regexp switched off in one run fails the later starts at once, without running it', async (t) => {
  const sup = await startSupervisor(t);
  const output = recordOutput(sup);
  const regexp = '^(\\w*)(\\w*)(\\w*):(.*)$';
  let error: unknown;
  try {
    await sup.spawn(
      nodeSpec('slowready', 'prints-on-signal.cjs', {
        args: [JSON.stringify([['a'.repeat(1152), 'ready:1']])],
        connect: 'none',
        ports: 'off',
        readyWhen: { line: regexp },
        readyTimeout: '20s',
        ...fast,
      }),
    );
  } catch (caught) {
    error = caught;
  }
  t.ok(isProcwireError(error), 'the start gave up');
  t.match(error, {
    code: 'GAVE_UP',
    message: /last failure: .*an earlier run of this child found that regexp too slow and switched it off/,
    cause: { code: 'READY_TIMEOUT' },
  });
  t.same(
    warnings(output.logs).filter((message) => message.includes('readyWhen.line')).length,
    1,
    'the regexp was switched off once, in the first run; the later runs did not run it',
  );
  t.match(warnings(output.logs), [/readyWhen\.line's regexp .* is switched off for this child: it took \d+ ms/]);
});

t.test(
  "readyWhen 'cycle' whose background matcher an earlier run switched off fails the later starts at once",
  async (t) => {
    const sup = await startSupervisor(t);
    const output = recordOutput(sup);
    const matcher = {
      pattern: { regexp: '^(\\S+):(\\d+): (.*)$', file: 1, line: 2, message: 3 },
      // Cubic on a line with no ':'; no cycle can begin once it is off.
      background: { beginsPattern: '^(\\w*)(\\w*)(\\w*):(.*)$', endsPattern: '^done$' },
    };
    let error: unknown;
    try {
      await sup.spawn(
        nodeSpec('slowcycles', 'prints-on-signal.cjs', {
          args: [JSON.stringify([['a'.repeat(1152), 'begin:1', 'done']])],
          connect: 'none',
          ports: 'off',
          matchers: [matcher],
          readyWhen: 'cycle',
          readyTimeout: '20s',
          ...fast,
        }),
      );
    } catch (caught) {
      error = caught;
    }
    t.match(error, {
      code: 'GAVE_UP',
      message: /last failure: .*the background matchers that end its cycles were switched off as too slow/,
      cause: { code: 'READY_TIMEOUT' },
    });
    const said = warnings(output.logs);
    t.equal(
      said.filter((message) => message.includes('is switched off for this child')).length,
      1,
      'switched off once',
    );
    t.equal(
      said.filter((message) => message.includes('stays switched off')).length,
      2,
      'and said so by each later run',
    );
  },
);
