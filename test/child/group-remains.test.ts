import t from 'tap';
import { fixture, freePort, killAtTeardown, pidAlive, startSupervisor, until, within } from '../helpers/index.js';

// A child whose process exits by itself takes what it left in its group with it, as a stop
// does: a restart must not meet the old server still holding its port, and nothing may outlive
// the child. (Windows has no process groups: see docs/LIFECYCLE.md.)

const posix = process.platform === 'win32' ? { skip: 'Windows has no process groups' } : {};

t.test("a restart does not meet the old run's server on its port", posix, async (t) => {
  const port = await freePort();
  const sup = await startSupervisor(t);
  const servers: string[] = [];
  sup.on('child', (child) =>
    child.on('stdout', (line) => {
      servers.push(line);
      killAtTeardown(t, Number(line.split(' ')[1]));
    }),
  );
  const child = await sup.spawn({
    id: 'wrapper',
    command: process.execPath,
    args: [fixture('leaves-a-server-behind.cjs'), String(port), '1'],
    connect: 'none',
    ports: 'off',
    maxRestarts: 1,
    backoff: { initial: '10ms' },
  });
  const gaveUp = new Promise((resolve) => child.once('gave-up', resolve));
  await within(gaveUp, 'the second run to fail and the policy to give up');
  t.equal(servers.length, 2, `two runs, each with its server: ${servers.join('; ')}`);
  t.match(servers, [/^server \d+ listening$/, /^server \d+ listening$/], "the second server got the first one's port");
  const pids = servers.map((line) => Number(line.split(' ')[1]));
  t.notOk(pidAlive(pids[0]!), "the first run's server is gone");
  await until(() => !pidAlive(pids[1]!), 5000, "the last run's server to be gone too");
});

t.test("a one-shot child's leftover that ignores SIGTERM is killed after stopTimeout", posix, async (t) => {
  const port = await freePort();
  const sup = await startSupervisor(t);
  let server: number | undefined;
  sup.on('child', (child) =>
    child.on('stdout', (line) => {
      server = Number(line.split(' ')[1]);
      killAtTeardown(t, server);
    }),
  );
  const child = await sup.spawn({
    id: 'one-shot',
    command: process.execPath,
    args: [fixture('leaves-a-server-behind.cjs'), String(port), '0', 'stubborn'],
    connect: 'none',
    ports: 'off',
    restart: 'never',
    stopTimeout: '300ms',
  });
  await until(() => child.state.kind === 'exited', 5000, 'the child to exit');
  t.ok(server !== undefined, 'its server started');
  // A stop of an exited child resolves once what it left in its group is gone.
  t.match(await child.stop(), { exitCode: 0, termination: 'clean' });
  t.notOk(pidAlive(server!), 'the server that ignored SIGTERM was killed');
});
