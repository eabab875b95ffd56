import { spawn } from 'node:child_process';
import t from 'tap';
import { exitOf, fixture } from '../helpers/index.js';
import { cli, runCli, writeConfig } from '../cli/run-cli.js';

// procwire run with dependsOn: the config is checked whole, dependents wait, shutdown stops them first.

const server = fixture('plain-server.cjs');
const plain = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  command: process.execPath,
  args: [server],
  connect: 'none',
  ...extra,
});

t.test('procwire run starts a chain in order, shows what a child waits for, and stops dependents first', async (t) => {
  const config = writeConfig(t, [
    plain('web', { dependsOn: { api: 'port' } }),
    plain('api', {
      dependsOn: { migrate: 'exited' },
      health: { http: { port: 'port-1', path: '/health' }, interval: '200ms' },
    }),
    {
      id: 'migrate',
      command: process.execPath,
      args: ['-e', 'setTimeout(() => process.exit(0), 300)'],
      connect: 'none',
    },
    plain('other'),
  ]);
  const run = runCli(t, ['run', config]);
  await run.waitFor(/^api\s+\| starting: waiting: migrate exited/);
  await run.waitFor(/^web\s+\| starting: waiting: api port/);
  await run.waitFor(/^web\s+\| running/);
  // The control API shows health: procwire wait --for healthy, from another process.
  const wait = spawn(
    process.execPath,
    [cli, 'wait', 'api', '--for', 'healthy', '--timeout', '20s', '--config', config],
    {
      env: { ...process.env, XDG_RUNTIME_DIR: run.runtimeDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let waited = '';
  wait.stdout.on('data', (chunk) => (waited += chunk));
  t.equal((await exitOf(wait)).code, 0, 'procwire wait --for healthy');
  t.match(waited, /^api is healthy/m);
  run.proc.kill('SIGINT');
  await run.waitFor(/all critical children ok/);
  const index = (pattern: RegExp): number => run.lines.findIndex((line) => pattern.test(line));
  t.ok(index(/^other\s+\| running/) < index(/^migrate\s+\| exited/), 'an independent child did not wait for the chain');
  t.ok(index(/^api\s+\| starting \(pid/) > index(/^migrate\s+\| exited/), 'api spawned after migrate exited');
  t.ok(index(/^web\s+\| stopping/) < index(/^api\s+\| stopping/), 'web was stopped before api, which it depends on');
});

t.test('a dependency cycle or an unknown id in the config exits 2 before anything starts', async (t) => {
  for (const [children, pattern] of [
    [
      [plain('a', { dependsOn: { b: 'ready' } }), plain('b', { dependsOn: { a: 'started' } })],
      /dependency cycle: a -> b -> a/,
    ],
    [[plain('a', { dependsOn: { db: 'healthy' } })], /child "a" depends on "db", which does not exist/],
  ] as const) {
    const run = runCli(t, ['run', writeConfig(t, children)]);
    t.equal((await exitOf(run.proc)).code, 2);
    t.match(run.stderr(), pattern);
    t.notOk(
      run.lines.some((line) => /\(pid \d+\)/.test(line)),
      'nothing was spawned',
    );
  }
});
