import t from 'tap';
import type { ChildSpec, RestartInfo } from '../../src/index.js';
import { fixture, nextEvent, startSupervisor } from '../helpers/index.js';

// spec.health against a real server with no SDK (test/fixtures/plain-server.cjs): SIGUSR2 makes it sick or hang.

const server = fixture('plain-server.cjs');
const plain = (id: string, args: string[], extra: Partial<ChildSpec>): ChildSpec => ({
  id,
  command: process.execPath,
  args: [server, ...args],
  connect: 'none',
  readyWhen: { http: { port: 'port-1', path: '/health' } },
  ...extra,
});

t.test(
  'a health check that starts failing makes the child unhealthy and restarts it, counted by its policy',
  async (t) => {
    const sup = await startSupervisor(t);
    // Timeouts generous for a loaded machine: only a server that does not answer at all fails them.
    const health = { interval: '100ms', timeout: '3s', failures: 2 };
    const [sick, hung, big] = await Promise.all([
      sup.spawn(
        plain('sick', ['--usr2', 'sick'], {
          health: { http: { port: 'port-1', path: '/health' }, ...health },
          backoff: { initial: '50ms' },
        }),
      ),
      sup.spawn(
        plain('hung', ['--usr2', 'hang'], {
          health: { http: { port: 'port-1', path: '/health' }, ...health, timeout: '1500ms' },
          maxRestarts: 0,
        }),
      ),
      sup.spawn(plain('big', [], { health: { http: { port: 'port-1', path: '/big' }, ...health } })),
    ]);
    for (const child of [sick, hung, big]) {
      if (child.health !== 'healthy') await nextEvent(child, 'health', `${child.id} to be healthy`);
      t.equal(child.health, 'healthy', `${child.id} is healthy`);
    }

    const unhealthy = nextEvent<[string, string]>(sick, 'health', 'sick to be unhealthy', {
      filter: (h) => h === 'unhealthy',
    });
    const restarted = nextEvent<[RestartInfo]>(sick, 'restart', 'sick to be restarted');
    const firstPid = sick.pid;
    await sick.signal('SIGUSR2');
    const [, detail] = await unhealthy;
    t.match(
      detail,
      /^2 health checks failed in a row; last: GET http:\/\/127\.0\.0\.1:\d+\/health: 503 \(expected 200-399\): sick/,
    );
    const [restart] = await restarted;
    t.match(restart.reason, /^unhealthy: 2 health checks failed in a row/, 'the restart says why');
    t.equal(restart.restarts, 1, 'the restart policy counted it');
    await nextEvent(sick, 'health', 'the new run to be healthy', { filter: (h) => h === 'healthy' });
    t.not(sick.pid, firstPid, 'a new process');

    const gaveUp = nextEvent(hung, 'gave-up', 'hung to give up');
    await hung.signal('SIGUSR2');
    const [error] = (await gaveUp) as [Error];
    t.match(
      error.message,
      /unhealthy: 2 health checks failed in a row; last: GET .*\/health: no answer within 1500 ms/,
    );
    t.match(error.cause, { code: 'UNHEALTHY' }, 'the verdict that stopped the run is the cause, as the README says');
    t.equal(
      hung.state.kind,
      'failed',
      'a hung server that still runs is noticed, stopped, and not restarted past maxRestarts',
    );
    t.equal(hung.pid, undefined);

    t.equal(big.health, 'healthy', 'a check reads a bounded part of a 10 MB body that never ends');
  },
);

t.test('exec health checks; bad health specs are TypeErrors', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn({
    id: 'exec',
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1e9)'],
    connect: 'none',
    // `true` starts in a millisecond even on a loaded machine; a slow check would count as failing.
    health: { exec: ['true'], interval: '1s', timeout: '5s' },
  });
  if (child.health !== 'healthy') await nextEvent(child, 'health', 'exec to be healthy');
  t.equal(child.health, 'healthy');
  const bad = (health: unknown) => sup.spawn({ id: 'bad', command: 'true', connect: 'none', health: health as never });
  t.throws(() => bad({ tcp: 80, interval: 0 }), /spec\.health\.interval must be more than 0 ms; got 0/);
  t.throws(() => bad({ tcp: 80, http: { port: 80 } }), /exactly one of http, tcp and exec/);
  t.throws(() => bad({ tcp: 80, failures: 0 }), /spec\.health\.failures/);
  t.throws(() => bad({ exec: [] }), /spec\.health\.exec must be a command/);
  t.throws(() => bad({ tcp: 'db' }), /spec\.health\.tcp names unknown port "db"/);
});
