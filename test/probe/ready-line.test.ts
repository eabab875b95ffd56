import t from 'tap';
import { ProcwireError } from '../../src/index.js';
import { nodeSpec, recordOutput, startSupervisor } from '../helpers/index.js';

// readyWhen { line } with a regexp that is slow on a line a real child prints
// (test/fixtures/prints-on-signal.cjs prints its first block of lines at start).

t.test('a readiness regexp too slow on a line is switched off: a warning, and the start fails at once', async (t) => {
  const sup = await startSupervisor(t);
  const output = recordOutput(sup);
  // Cubic backtracking on a line with no ':' (about 0.35 s per exec for 1,152 characters on a
  // 2-core EPYC, past the 50 ms limit on any machine); the next line would match.
  const regexp = '^(\\w*)(\\w*)(\\w*):(.*)$';
  const block = ['a'.repeat(1152), 'ready:1'];
  const started = performance.now();
  let error: unknown;
  try {
    await sup.spawn(
      nodeSpec('slowline', 'prints-on-signal.cjs', {
        args: [JSON.stringify([block])],
        connect: 'none',
        restart: 'never',
        readyWhen: { line: regexp },
        readyTimeout: '20s',
      }),
    );
  } catch (caught) {
    error = caught;
  }
  const elapsed = performance.now() - started;
  t.ok(error instanceof ProcwireError, 'the start failed');
  t.match(error, {
    code: 'READY_TIMEOUT',
    message: new RegExp(
      String.raw`^child "slowline" was not ready: it waited for a line of stdout or stderr to match /\^\(\\w\*\)` +
        String.raw`.*, but that regexp took \d+ ms on one line and was switched off \(the limit is 1000 ms once, ` +
        String.raw`or 50 ms twice in a row\); anchor it`,
    ),
  });
  t.ok(elapsed < 15_000, `it failed when the regexp was switched off, not at readyTimeout: ${Math.round(elapsed)} ms`);
  const warnings = output.logs.filter((entry) => entry.level === 'warn').map((entry) => entry.message);
  t.match(warnings, [
    /^procwire: child "slowline": readyWhen\.line's regexp \/\^\(\\w\*\).* is switched off for this child: it took \d+ ms/,
  ]);
});

t.test("readyWhen 'cycle' whose background matcher is switched off as too slow fails at once", async (t) => {
  const sup = await startSupervisor(t);
  const output = recordOutput(sup);
  const matcher = {
    pattern: { regexp: '^(\\S+):(\\d+): (.*)$', file: 1, line: 2, message: 3 },
    // Cubic on a line with no ':'; no cycle can begin once it is off.
    background: { beginsPattern: '^(\\w*)(\\w*)(\\w*):(.*)$', endsPattern: '^done$' },
  };
  const started = performance.now();
  let error: unknown;
  try {
    await sup.spawn(
      nodeSpec('slowcycle', 'prints-on-signal.cjs', {
        args: [JSON.stringify([['a'.repeat(1152), 'begin:1', 'done']])],
        connect: 'none',
        restart: 'never',
        matchers: [matcher],
        readyWhen: 'cycle',
        readyTimeout: '20s',
      }),
    );
  } catch (caught) {
    error = caught;
  }
  const elapsed = performance.now() - started;
  t.match(error, {
    code: 'READY_TIMEOUT',
    message:
      /^child "slowcycle" was not ready: it waited for its first watch cycle to end .*, but the background matchers that end its cycles were switched off as too slow/,
  });
  t.ok(elapsed < 15_000, `it failed when the matcher was switched off, not at readyTimeout: ${Math.round(elapsed)} ms`);
  const warnings = output.logs.filter((entry) => entry.level === 'warn').map((entry) => entry.message);
  t.match(warnings, [/problem matcher matchers\[0\] \(owner "matchers\[0\]"\) is switched off for this child/]);
});
