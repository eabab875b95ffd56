import t from 'tap';
import { fileURLToPath } from 'node:url';
import { exitOf } from '../helpers/index.js';
import { runCli, tempDir } from '../cli/run-cli.js';

// examples/stack as the README runs it: a one-shot migration, a Python API healthy on /health,
// and a web server that starts after both, under `procwire run`.

const config = fileURLToPath(new URL('../../examples/stack/procwire.config.json', import.meta.url));

t.test('the stack example starts in order and stops cleanly', async (t) => {
  const data = tempDir(t, 'procwire-stack-');
  const run = runCli(t, ['run', config], { env: { STACK_DATA: data } });
  await run.waitFor(/^web\s+\| starting: waiting: migrate exited, api healthy/);
  await run.waitFor(/^web\s+\| running \(pid \d+\)/);
  const index = (pattern: RegExp): number => run.lines.findIndex((line) => pattern.test(line));
  t.ok(index(/^migrate\s+\| exited/) < index(/^api\s+\| starting \(pid/), 'the API started after the migration');
  t.ok(index(/^api\s+\| running/) < index(/^web\s+\| starting \(pid/), 'the web server after the API was healthy');
  run.proc.kill('SIGINT');
  t.same(await exitOf(run.proc), { code: 0, signal: null });
  t.ok(run.lines.includes('all critical children ok'), 'a one-shot that exited 0 is ok');
});
