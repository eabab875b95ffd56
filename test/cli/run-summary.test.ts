// The closing summary of `procwire run` says how each child ended, from real children.
import t from 'tap';
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
    await run.waitFor(/^oneshot\s+\| exited: exited with code 3$/);
    await run.waitFor(/^selfkill\s+\| exited: killed by SIGKILL$/);
    await run.waitFor(/^crasher\s+\| failed: restart limit reached$/);
    await run.waitFor(/^waits\s+\| info: waiting for SIGUSR2/);
    run.proc.kill('SIGINT');
    t.same(await exitOf(run.proc), { code: 1, signal: null }, 'a critical child failed: exit 1, as before');
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
        '1 critical child(ren) failed: crasher',
      ],
      'one line per child in config order, then the verdict',
      { lines: run.lines },
    );
  },
);
