// The closing summary of `procwire run` says how each child ended, from real children.
import t from 'tap';
import { dirname } from 'node:path';
import { exitOf, fixture } from '../helpers/index.js';
import { runCli, writeConfig } from './run-cli.js';

const node = (id: string, args: string[], extra: Record<string, unknown> = {}) => ({
  id,
  command: process.execPath,
  args,
  ...extra,
});

t.test(
  'the summary says how each child ended: stopped (and how), exited with a code, killed, failed, not started',
  async (t) => {
    const config = writeConfig(t, [
      node('stays', [fixture('only-ready.cjs')]),
      // Ignores shutdown and SIGTERM: only SIGKILL ends its stop.
      node('stubborn', [fixture('ignores-sigterm.cjs')], { stopTimeout: '100ms' }),
      node('oneshot', [fixture('exits-after-ready.cjs'), '3'], { restart: 'never' }),
      node('selfkill', ['-e', "setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50)"], {
        connect: 'none',
        restart: 'never',
      }),
      node('crasher', [fixture('exits-after-ready.cjs'), '1'], { maxRestarts: 0 }),
      // Never ready: the shutdown finds it starting, and the child waiting for it never spawned.
      node('waits', [fixture('ready-on-sigusr2.cjs')]),
      node('never', [fixture('only-ready.cjs')], { dependsOn: { waits: 'ready' } }),
    ]);
    const run = runCli(t, ['run', config]);
    await run.waitFor(/^stubborn\s+\| armed$/);
    await run.waitFor(/^oneshot\s+\| exited: not restarted \(restart: 'never'\)$/);
    await run.waitFor(/^selfkill\s+\| exited: not restarted \(restart: 'never'\)$/);
    await run.waitFor(/^crasher\s+\| failed: restart limit reached$/);
    await run.waitFor(/^waits\s+\| info: waiting for SIGUSR2/);
    run.proc.kill('SIGINT');
    t.same(await exitOf(run.proc), { code: 1, signal: null }, 'critical children failed or exited non-zero: exit 1');
    const summary = run.lines.slice(run.lines.indexOf('summary') + 1);
    t.same(
      summary,
      [
        '  stays: stopped (clean), 0 restarts, 0 errors, 0 warnings',
        '  stubborn: stopped (escalated, killed by SIGKILL), 0 restarts, 0 errors, 0 warnings',
        '  oneshot: exited with code 3, 0 restarts, 0 errors, 0 warnings',
        '  selfkill: killed by SIGKILL, 0 restarts, 0 errors, 0 warnings',
        '  crasher: failed (restart limit reached; last failure: exited with code 1), 0 restarts, 0 errors, 0 warnings',
        '  waits: stopped while starting (clean), 0 restarts, 0 errors, 0 warnings',
        '  never: not started (waiting: waits ready), 0 restarts, 0 errors, 0 warnings',
        '3 critical children failed: oneshot (exited with code 3), selfkill (killed by SIGKILL), crasher',
      ],
      'one line per child in config order, then the verdict',
      { lines: run.lines },
    );
  },
);

t.test('a one-shot compiler that exits 2 under restart never fails the run, unless it is not critical', async (t) => {
  const tsc = (critical: boolean) =>
    node('tsc', [fixture('prints-a-tsc-error-exits-2.cjs')], {
      connect: 'none',
      matchers: ['$tsc'],
      restart: 'never',
      critical,
    });
  // A zero exit is ok: the same one-shot that found nothing.
  const clean = node('lint', ['-e', ''], { connect: 'none', restart: 'never' });

  const strictConfig = writeConfig(t, [tsc(true), clean]);
  // The printed path is relative to procwire's cwd; the matcher's to the child's (the config's dir).
  const strict = runCli(t, ['run', strictConfig], { cwd: dirname(strictConfig) });
  t.same(await exitOf(strict.proc), { code: 1, signal: null }, 'a critical compiler that found errors fails the run');
  t.ok(
    strict.lines.includes("src/a.ts:1:7 - error TS2322: Type 'string' is not assignable to type 'number'."),
    'the diagnostic prints as tsc prints it, TS prefix included',
    { lines: strict.lines },
  );
  t.same(
    strict.lines.slice(strict.lines.indexOf('summary') + 1),
    [
      '  tsc: exited with code 2, 0 restarts, 1 error, 0 warnings',
      '  lint: exited with code 0, 0 restarts, 0 errors, 0 warnings',
      '1 critical child failed: tsc (exited with code 2)',
    ],
    'the verdict names the child and how it exited',
    { lines: strict.lines },
  );

  const relaxedConfig = writeConfig(t, [tsc(false), clean]);
  const relaxed = runCli(t, ['run', relaxedConfig], { cwd: dirname(relaxedConfig) });
  t.same(await exitOf(relaxed.proc), { code: 0, signal: null }, 'a compiler with "critical": false does not');
  t.same(
    relaxed.lines.slice(relaxed.lines.indexOf('summary') + 1),
    [
      '  tsc (not critical): exited with code 2, 0 restarts, 1 error, 0 warnings',
      '  lint: exited with code 0, 0 restarts, 0 errors, 0 warnings',
      'all critical children ok',
    ],
    { lines: relaxed.lines },
  );
});

t.test('a start that timed out under restart never is failed in its own line, as in the summary', async (t) => {
  const config = writeConfig(t, [
    node('tsc', [fixture('never-connects.cjs')], { readyTimeout: '300ms', restart: 'never' }),
  ]);
  const run = runCli(t, ['run', config]);
  t.same(await exitOf(run.proc), { code: 1, signal: null });
  const state = run.lines.find((line) => /^tsc\s+\| (?:exited|failed):/.test(line));
  t.match(state, /^tsc\s+\| failed: child "tsc" was not ready within 0\.3 s/, 'failed, not exited', {
    lines: run.lines,
  });
  t.match(run.lines.at(-2), /^ {2}tsc: failed \(did not start: was not ready within 0\.3 s/);
  t.equal(run.lines.at(-1), '1 critical child failed: tsc');
});

t.test(
  'a child given up on as unhealthy: the run says it stops it, and the summary names the health checks',
  async (t) => {
    // An unmodified HTTP server whose /health answers 503 after SIGUSR2 (test/fixtures/plain-server.cjs).
    const config = writeConfig(t, [
      node('api', [fixture('plain-server.cjs'), '--usr2', 'sick'], {
        connect: 'none',
        readyWhen: { http: { port: 'port-1', path: '/health' } },
        health: { http: { port: 'port-1', path: '/health' }, interval: '100ms', timeout: '3s', failures: 2 },
        maxRestarts: 0,
      }),
    ]);
    const run = runCli(t, ['run', config]);
    const [, pid] = (await run.waitFor(/^api\s+\| running \(pid (\d+)\): ready$/)) as RegExpMatchArray;
    process.kill(Number(pid), 'SIGUSR2');
    const sick =
      /unhealthy: 2 health checks failed in a row; last: GET http:\/\/127\.0\.0\.1:\d+\/health: 503 \(expected 200-399\): sick/;
    await run.waitFor(new RegExp(`^api\\s+\\| gave up: .*last failure: ${sick.source}\\. Fix the cause`));
    t.same(await exitOf(run.proc), { code: 1, signal: null }, 'a critical child failed');
    const summary = run.lines.slice(run.lines.indexOf('summary') + 1);
    t.equal(summary.length, 2, 'one child, then the verdict', { lines: run.lines });
    t.match(
      summary[0],
      new RegExp(`^  api: failed \\(restart limit reached; last failure: ${sick.source}\\), 0 restarts, `),
      'the summary’s last failure is the gave-up line’s, not the SIGTERM that stopped the unhealthy run',
    );
    t.equal(summary[1], '1 critical child failed: api');
    const stopping = new RegExp(
      `^api\\s+\\| unhealthy \\(pid ${pid}\\): 2 health checks failed in a row; .*; stopping it$`,
    );
    t.ok(
      run.lines.some((line) => stopping.test(line)),
      'the health stop has its own line: the exit after it is procwire’s signal',
      { lines: run.lines },
    );
  },
);

t.test(
  'a failed start prints its whole message once, the stderr lines it quotes as lines, and briefly elsewhere',
  async (t) => {
    const config = writeConfig(t, [
      // Exits before ready, its last stderr line hostile: the line is the child's, so it stays escaped.
      node('dies', ['-e', "console.error('dying'); console.error('boom\\x1b[2J'); process.exit(1)"], {
        restart: 'never',
      }),
      // Found nowhere: the message names every directory of PATH, which is printed once.
      { id: 'ghost', command: 'no-such-tool-procwire', connect: 'none', critical: false },
    ]);
    const run = runCli(t, ['run', config]);
    t.same(await exitOf(run.proc), { code: 1, signal: null });
    const at = run.lines.findIndex((line) => /^dies\s+\| failed:/.test(line));
    t.same(
      run.lines.slice(at, at + 3),
      [
        'dies     | failed: child "dies" exited with code 1 before it was ready; last stderr lines:',
        'dies     |   dying',
        'dies     |   boom\\x1b[2J',
      ],
      'procwire’s line breaks are real, each line prefixed; the child’s text is escaped',
      { lines: run.lines },
    );
    t.notOk(
      run.lines.some((line) => line.includes('\\n')),
      'no literal \\n anywhere',
      { lines: run.lines },
    );
    t.ok(
      run.lines.includes('procwire | dies did not start: exited with code 1 before it was ready (its stderr above)'),
    );
    t.ok(
      run.lines.includes(
        '  dies: failed (did not start: exited with code 1 before it was ready (its stderr above)), ' +
          '0 restarts, 0 errors, 0 warnings',
      ),
      'the summary too',
      { lines: run.lines },
    );
    const path = process.env.PATH ?? '';
    const withPath = run.lines.filter((line) => line.includes(path));
    t.equal(withPath.length, 1, 'the message naming PATH is printed once', { lines: run.lines });
    t.match(withPath[0], /^ghost\s+\| failed: child "ghost": could not spawn "no-such-tool-procwire": ENOENT/);
    const brief = run.lines.filter((line) => /ghost.*could not spawn/.test(line) && line !== withPath[0]);
    t.equal(brief.length, 2, 'the did-not-start line and the summary mention it', { lines: run.lines });
    for (const line of brief)
      t.match(line, /could not spawn "no-such-tool-procwire": ENOENT: .*… \(whole message above\)/);
  },
);
