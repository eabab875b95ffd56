import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcwireError, type Child, type ChildSpec } from '../../src/index.js';
import { checkDependencies } from '../../src/depends/index.js';
import { fixture, nextEvent, recordLives, startSupervisor } from '../helpers/index.js';

// spec.dependsOn in the library: real processes, the waits driven by the dependencies' events.

const server = fixture('plain-server.cjs');
const plain = (id: string, extra: Partial<ChildSpec> = {}): ChildSpec => ({
  id,
  command: process.execPath,
  args: [server],
  connect: 'none',
  ...extra,
});
const oneShot = (id: string, code: number, extra: Partial<ChildSpec> = {}): ChildSpec => ({
  id,
  command: process.execPath,
  args: ['-e', `setTimeout(() => process.exit(${code}), 300)`],
  connect: 'none',
  restart: 'on-failure',
  ...extra,
});

/** When each child first reported a port, by id. */
function portTimes(sup: { on(event: 'child', listener: (child: Child) => void): unknown }): Map<string, number> {
  const times = new Map<string, number>();
  sup.on('child', (child) => child.on('port', () => times.set(child.id, times.get(child.id) ?? Date.now())));
  return times;
}

async function rejection(promise: Promise<unknown>): Promise<ProcwireError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProcwireError) return error;
    throw error;
  }
  throw new Error('did not reject');
}

t.test(
  'a chain: migrate exited -> api healthy -> web port -> smoke, each waiting in starting with its reason',
  async (t) => {
    const sup = await startSupervisor(t);
    const lives = recordLives(sup);
    const ports = portTimes(sup);
    const healthyAt = new Map<string, number>();
    sup.on('child', (child) =>
      child.on('health', (health) => {
        if (health === 'healthy') healthyAt.set(child.id, Date.now());
      }),
    );
    const [migrate, api, web, smoke] = await Promise.all([
      sup.spawn(oneShot('migrate', 0)),
      sup.spawn(
        plain('api', {
          dependsOn: { migrate: 'exited' },
          health: { http: { port: 'port-1', path: '/health' }, interval: '100ms' },
        }),
      ),
      sup.spawn(plain('web', { dependsOn: { api: 'healthy', migrate: 'exited' } })),
      sup.spawn(plain('smoke', { dependsOn: { web: 'port' } })),
    ]);
    t.equal(migrate.state.kind, 'exited');
    const spawnedAt = (id: string): number =>
      lives.get(id)?.states.find((state) => state.reason === 'spawned')?.at ?? Number.NaN;
    const exitedAt = lives.get('migrate')?.states.find((state) => state.kind === 'exited')?.at ?? Number.NaN;
    t.ok(spawnedAt('api') >= exitedAt, 'api spawned after migrate exited');
    t.ok(spawnedAt('web') >= (healthyAt.get('api') ?? Number.NaN), 'web spawned after api was healthy');
    t.ok(spawnedAt('smoke') >= (ports.get('web') ?? Number.NaN), 'smoke spawned after web had a port');
    t.equal(api.health, 'healthy');
    t.ok(
      lives.get('api')?.states.some((state) => state.kind === 'starting' && state.reason === 'waiting: migrate exited'),
      'api said what it waited for',
    );
    t.ok(
      lives.get('web')?.states.some((state) => state.reason === 'waiting: api healthy, migrate exited'),
      'web named both of its conditions',
    );
    t.equal(web.state.kind, 'running');
    t.equal(smoke.state.kind, 'running');
  },
);

t.test('a dependency that restarts while the dependent waits is waited for through its restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-depends-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, 'crashed-once');
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const ports = portTimes(sup);
  const [flaky, dependent] = await Promise.all([
    sup.spawn({
      id: 'flaky',
      command: 'sh',
      // The first run crashes before it listens; the second serves.
      args: [
        '-c',
        `if [ -e "${marker}" ]; then exec "${process.execPath}" "${server}"; else touch "${marker}"; exit 1; fi`,
      ],
      connect: 'none',
      backoff: { initial: '50ms' },
    }),
    sup.spawn(plain('dependent', { dependsOn: { flaky: 'port' } })),
  ]);
  t.equal(flaky.restarts, 1, 'the dependency crashed once and was restarted');
  t.ok(flaky.ports.size > 0);
  t.equal(dependent.state.kind, 'running');
  const states = lives.get('dependent')?.states ?? [];
  t.notOk(
    states.some((state) => state.kind === 'failed' || state.kind === 'exited'),
    'the dependent never failed',
  );
  const spawned = states.filter((state) => state.reason === 'spawned');
  t.equal(spawned.length, 1, 'it was spawned once');
  t.ok((spawned[0]?.at ?? 0) >= (ports.get('flaky') ?? Number.NaN), "after the second run's port");
});

t.test('DEPENDENCY_FAILED: a one-shot that exits non-zero, a dependency that cannot start', async (t) => {
  const sup = await startSupervisor(t);
  let waitingChild: Child | undefined;
  sup.on('child', (child) => {
    if (child.id === 'after-bad') waitingChild = child;
  });
  const [, exitedBad, , spawnFailed] = await Promise.all([
    sup.spawn(oneShot('bad', 2, { restart: 'never' })),
    rejection(sup.spawn(plain('after-bad', { dependsOn: { bad: 'exited' } }))),
    rejection(sup.spawn({ id: 'missing', command: '/nonexistent/command', connect: 'none' })),
    rejection(sup.spawn(plain('after-missing', { dependsOn: { missing: 'ready' } }))),
  ]);
  t.equal(exitedBad.code, 'DEPENDENCY_FAILED');
  t.match(
    exitedBad.message,
    /child "after-bad" was not started: it waits for bad exited, but "bad" exited with code 2/,
  );
  t.equal(waitingChild?.state.kind, 'failed', 'the dependent is failed');
  t.equal(waitingChild?.startedAt, undefined, 'and was never spawned');
  t.equal(spawnFailed.code, 'DEPENDENCY_FAILED');
  t.match(spawnFailed.message, /"missing" failed/);
  t.notMatch(spawnFailed.message, /\.\./, `one period between its sentences: ${spawnFailed.message}`);
});

t.test('unknown ids, impossible conditions and cycles are INVALID_SPEC before anything is spawned', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const unknown = (() => {
    try {
      sup.spawn(plain('web', { dependsOn: { api: 'ready' } }));
    } catch (error) {
      return error as ProcwireError;
    }
    return undefined;
  })();
  t.equal(unknown?.code, 'INVALID_SPEC');
  t.match(unknown?.message, /child "web" depends on "api", which does not exist/);
  t.throws(() => sup.spawn(plain('web', { dependsOn: { web: 'ready' } })), /cannot wait for itself/);
  t.throws(
    () => sup.spawn(plain('web', { dependsOn: { api: 'up' as never } })),
    /spec\.dependsOn of child "web"\.api must be one of/,
  );
  await sup.spawn(plain('api'));
  t.throws(() => sup.spawn(plain('web', { dependsOn: { api: 'healthy' } })), /has no health check/);
  t.throws(() => sup.spawn(plain('web', { dependsOn: { api: 'cycle' } })), /has no background matcher/);
  t.equal(lives.size, 1, 'only api was ever created');
  const node = (id: string, dependsOn: Record<string, 'ready'>) => ({
    id,
    dependsOn,
    hasHealth: false,
    hasCycles: false,
  });
  t.throws(
    () => checkDependencies([node('a', { b: 'ready' }), node('b', { c: 'ready' }), node('c', { a: 'ready' })]),
    /child "a" is part of a dependency cycle: a -> b -> c -> a/,
  );
  t.same(
    checkDependencies([node('web', { api: 'ready' }), node('api', { db: 'ready' }), node('db', {}), node('x', {})]),
    ['db', 'api', 'web', 'x'],
    'a start order: dependencies first, otherwise as given',
  );
});

t.test('cycle and cycle-clean: a dependent waits for a watch cycle, and for one with no errors', async (t) => {
  const sup = await startSupervisor(t);
  const matcher = {
    owner: 'build',
    pattern: { regexp: '^(\\S+):(\\d+): (error|warning): (.*)$', severity: 3, message: 4 },
    background: { activeOnStart: false, beginsPattern: '^build started$', endsPattern: { regexp: '^build done' } },
  };
  // A watcher: a cycle with an error, then (on SIGUSR2) a clean one.
  const script = `
    const say = (lines) => { for (const line of lines) console.log(line); };
    setTimeout(() => say(['build started', 'a.c:1: error: one', 'build done']), 200);
    process.on('SIGUSR2', () => say(['build started', 'build done']));
    setInterval(() => {}, 1e9);`;
  const [watcher, afterAny, afterClean] = await Promise.all([
    sup.spawn({
      id: 'watcher',
      command: process.execPath,
      args: ['-e', script],
      connect: 'none',
      matchers: [matcher],
      cwd: '/tmp',
    }),
    sup.spawn(plain('after-any', { dependsOn: { watcher: 'cycle' } })),
    (async () => {
      const spawned = sup.spawn(plain('after-clean', { dependsOn: { watcher: 'cycle-clean' } }));
      const child = sup.get('after-clean') as Child;
      await nextEvent(sup.get('watcher') as Child, 'cycle', 'the first cycle to end', {
        filter: (event: { phase: string }) => event.phase === 'end',
      });
      // Every listener of that event has run by the next turn.
      await new Promise((resolve) => setImmediate(resolve));
      t.equal(child.state.kind, 'starting', 'a cycle with an error does not satisfy cycle-clean');
      t.equal(child.state.reason, 'waiting: watcher cycle-clean');
      await (sup.get('watcher') as Child).signal('SIGUSR2');
      return spawned;
    })(),
  ]);
  t.equal(watcher.lastCycle?.errors, 0, 'the last cycle was clean');
  t.equal(afterAny.state.kind, 'running', 'cycle: started after the first cycle');
  t.equal(afterClean.state.kind, 'running', 'cycle-clean: started after the clean one');
});
