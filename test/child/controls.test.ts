import t from 'tap';
import { readFileSync } from 'node:fs';
import type { ChildState, PortInfo } from '../../src/index.js';
import { nodeSpec, pidAlive, recordLives, startSupervisor, nextEvent } from '../helpers/index.js';

t.test('controls run one at a time in call order, each settling when it has taken effect', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('svc', 'ready-and-echo.cjs'));
  const first = child.pid!;
  const settled: string[] = [];
  const logs: string[] = [];
  child.on('log', (entry) => logs.push(entry.message));
  const stop = child.stop().then((result) => {
    settled.push(`stop:${child.state.kind}`);
    return result;
  });
  const start = child.start().then(() => settled.push(`start:${child.state.kind}`));
  const restart = child.restart().then(() => settled.push(`restart:${child.state.kind}`));
  const gotSignal = nextEvent(child, 'log', 'the child to log that it got SIGUSR2', {
    filter: (entry: { message: string }) => entry.message === 'got SIGUSR2',
  });
  const signal = child.signal('SIGUSR2').then(() => settled.push('signal'));
  await Promise.all([stop, start, restart, signal]);
  t.same(settled, ['stop:stopped', 'start:running', 'restart:running', 'signal']);
  t.equal((await stop).termination, 'clean');
  await gotSignal;
  t.ok(logs.includes('got SIGUSR2'), 'signal reached the running process');
  t.not(child.pid, first, 'a new process after stop/start/restart');
  t.notOk(pidAlive(first));
  t.equal(child.restarts, 0, 'requested restarts are not counted as automatic ones');
});

t.test('signal to a child with no process rejects with NOT_RUNNING', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('svc', 'ready-and-echo.cjs'));
  await child.stop();
  await t.rejects(child.signal('SIGHUP'), {
    code: 'NOT_RUNNING',
    message: /child "svc" has no running process to send SIGHUP to \(state: stopped\)/,
  });
});

t.test('a signal name Node does not know throws a TypeError at once and sends nothing', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('svc', 'ready-and-echo.cjs'));
  const exits: unknown[] = [];
  child.on('exit', (exit) => exits.push(exit));
  for (const bad of ['sighup', 'SIGFOO', 'HUP', 1, undefined]) {
    t.throws(() => child.signal(bad as NodeJS.Signals), {
      name: 'TypeError',
      message: /^the signal for child "svc" must be a signal name such as 'SIGHUP' or 'SIGUSR2'; got /,
    });
  }
  // A round trip after the throws: had any been sent (no argument was SIGTERM), the child would be gone.
  t.same(await child.sendRequest('echo', { still: 'here' }), { still: 'here' });
  t.same(exits, [], 'the child was not signalled');
  t.equal(child.state.kind, 'running');
});

t.test('a second stop changes nothing: no stopped -> stopped state event', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('svc', 'ready-and-echo.cjs'));
  const states: string[] = [];
  child.on('state', (next, previous) => states.push(`${previous.kind}->${next.kind}`));
  const first = await child.stop();
  t.same(await child.stop(), first, 'the same result');
  t.same(states, ['running->stopping', 'stopping->stopped']);
});

t.test(
  'a restarted child keeps its id, gets a fresh pid and token, and its old ports and diagnostics are cleared with events',
  async (t) => {
    const sup = await startSupervisor(t);
    const web = await sup.spawn(nodeSpec('web', 'reports-http-port.cjs'));
    const tsc = await sup.spawn(nodeSpec('tsc', 'publishes-diagnostics.cjs'));
    const tokenOf = (pid: number): string | undefined =>
      process.platform === 'linux'
        ? readFileSync(`/proc/${pid}/environ`, 'utf8')
            .split('\0')
            .find((e) => e.startsWith('PROCWIRE_TOKEN='))
        : undefined;
    const before = { pid: web.pid!, token: tokenOf(web.pid!), port: web.ports.get('http')! };
    const removed: PortInfo[] = [];
    const added: PortInfo[] = [];
    web.on('port-removed', (port) => removed.push(port));
    web.on('port', (port) => added.push(port));
    await web.restart();
    t.equal(web.id, 'web');
    t.not(web.pid, before.pid);
    if (process.platform === 'linux') t.not(tokenOf(web.pid!), before.token, 'a fresh token');
    t.same(removed, [before.port], 'the dead run’s port was removed with an event');
    t.equal(added.length, 1, 'the new run reported its own port');
    t.same(web.ports.get('http'), added[0]);

    const cleared: string[] = [];
    tsc.on('diagnostics', (file, list) => list.length === 0 && cleared.push(file));
    await tsc.restart();
    t.same(cleared.sort(), ['/src/tsc/a.ts', '/src/tsc/b.ts'], 'old diagnostics cleared with an event per file');
    t.equal(tsc.diagnostics.size, 2, 'the new run published its own');
  },
);

t.test('a stop during backoff cancels the pending restart', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const child = await sup.spawn(
    nodeSpec('flaky', 'exits-after-ready.cjs', { args: ['1'], backoff: { initial: '30s', max: '30s' } }),
  );
  const life = lives.get('flaky')!;
  await life.reaches('backoff');
  const started = Date.now();
  const result = await child.stop();
  t.ok(Date.now() - started < 5000, 'did not wait for the backoff');
  t.same(result, { exitCode: 1, signal: null, termination: 'clean' }, 'the result of the run that had exited');
  t.equal(child.state.kind, 'stopped');
  t.equal(life.pids.length, 1, 'no restart happened');
  t.same(
    life.states.slice(-2).map((s) => s.kind),
    ['stopping', 'stopped'],
  );
});

t.test('a failed child can be started again, with a fresh restart budget', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const child = await sup.spawn(
    nodeSpec('flaky', 'exits-after-ready.cjs', { args: ['1'], maxRestarts: 1, backoff: { initial: 10, jitter: 0 } }),
  );
  const life = lives.get('flaky')!;
  await life.reaches('failed');
  t.equal(life.pids.length, 2);
  await child.start();
  t.equal(life.pids.length, 3, 'start() spawned a new process and resolved at its ready');
  await life.reaches('failed');
  t.equal(life.pids.length, 4, 'the new start had its own budget of one restart');
  t.equal(life.gaveUp.length, 2);
});

t.test('every transition fires state with the previous state and a reason', async (t) => {
  const sup = await startSupervisor(t);
  const transitions: [string, string, string][] = [];
  sup.once('child', (child) =>
    child.on('state', (next: ChildState, previous: ChildState) =>
      transitions.push([previous.kind, next.kind, next.reason]),
    ),
  );
  const child = await sup.spawn(nodeSpec('svc', 'ready-and-echo.cjs'));
  await child.stop();
  t.same(transitions, [
    ['starting', 'starting', 'start requested'],
    ['starting', 'starting', 'spawned'],
    ['starting', 'running', 'ready'],
    ['running', 'stopping', 'stop requested'],
    ['stopping', 'stopped', 'stop requested'],
  ]);
  t.type(child.startedAt, Date);
});

t.test('a storm of controls never leaves two live processes for one id', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  // Checked as each process appears: an overlap that lasted a moment is gone by the end.
  const overlaps: string[] = [];
  sup.on('child', (child) => {
    const seen: number[] = [];
    child.on('state', (state: ChildState) => {
      if (state.kind !== 'starting' || state.pid === undefined) return;
      const live = seen.filter(pidAlive);
      if (live.length > 0) overlaps.push(`pid ${state.pid} spawned while ${live.join(', ')} still ran`);
      seen.push(state.pid);
    });
  });
  const child = await sup.spawn(nodeSpec('svc', 'ready-and-echo.cjs'));
  const controls: Promise<unknown>[] = [];
  for (let i = 0; i < 4; i++) {
    controls.push(child.restart(), child.stop(), child.start(), child.restart());
  }
  await Promise.allSettled(controls);
  const pids = lives.get('svc')!.pids;
  const live = pids.filter(pidAlive);
  t.equal(child.state.kind, 'running');
  t.ok(pids.length > 1, `the storm spawned ${pids.length} processes, each checked as it appeared`);
  t.same(overlaps, [], 'no process was spawned while an earlier one of the id still ran');
  t.same(live, [child.pid], `of ${pids.length} processes only the current one runs`);
});

t.test('heartbeats: a hung child is stopped and restarted; a healthy one is left alone', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const healthy = await sup.spawn(nodeSpec('healthy', 'ready-and-echo.cjs', { heartbeat: 150 }));
  const hung = await sup.spawn(
    nodeSpec('hung', 'hangs-after-ready.cjs', {
      heartbeat: 150,
      maxRestarts: 1,
      stopTimeout: 200,
      backoff: { initial: 10 },
    }),
  );
  const life = lives.get('hung')!;
  const warnings: string[] = [];
  hung.on('log', ({ level, message }) => level === 'warn' && warnings.push(message));
  await life.reaches('failed');
  t.match(
    warnings[0],
    /^procwire: child "hung" sent no heartbeat for 0\.3 s and is taken to be hung; it is being stopped$/,
    'a hung run is said to be, before its stop',
  );
  t.equal(warnings.length, 2, 'each of the two');
  t.equal(life.pids.length, 2, 'restarted once, then gave up');
  t.match(life.restarts[0]?.reason, /stopped sending heartbeats/);
  t.match(life.gaveUp[0]?.message, /stopped sending heartbeats \(hung\)/);
  t.not(life.exits[0]?.signal ?? null, null, 'ended by a signal from the parent');
  t.equal(hung.state.kind, 'failed');
  t.equal(healthy.state.kind, 'running', 'the healthy child kept beating');
  t.equal(lives.get('healthy')!.pids.length, 1);
  t.same(await healthy.sendRequest('echo', { ok: true }), { ok: true });
});
