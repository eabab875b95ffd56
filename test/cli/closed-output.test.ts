import t from 'tap';
import { once } from 'node:events';
import { pidAlive, until, within } from '../helpers/index.js';
import { runCli, writeConfig } from './run-cli.js';

t.test('procwire run | head: a reader that leaves stops the children, with no stack trace', async (t) => {
  // A child that prints forever, so procwire writes to the pipe after its reader has gone.
  const config = writeConfig(t, {
    children: [
      {
        id: 'ticker',
        command: process.execPath,
        args: ['-e', 'setInterval(() => console.log("tick"), 20)'],
        connect: 'none',
      },
    ],
  });
  const run = runCli(t, ['run', config]);
  const pid = Number((await run.waitFor(/^ticker\s+\| running \(pid (\d+)\)/))[1]);
  await run.waitFor(/tick/);
  // What head does after its lines: close its end of the pipe.
  run.proc.stdout?.destroy();
  const [code, signal] = (await within(once(run.proc, 'exit'), 'procwire to exit after its stdout closed')) as [
    number | null,
    string | null,
  ];
  t.same({ code, signal }, { code: 0, signal: null }, 'a clean exit, as for a signal');
  t.notMatch(run.stderr(), /EPIPE|Unhandled 'error'|at /, `no stack trace on stderr: ${run.stderr()}`);
  await until(() => !pidAlive(pid), 5_000, `the child (pid ${pid}) to be gone`);
  t.pass('the child was stopped');
});
