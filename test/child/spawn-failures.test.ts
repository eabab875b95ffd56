import t from 'tap';
import { isProcwireError, type ProcwireError } from '../../src/index.js';
import { nodeSpec, pidAlive, startSupervisor, until, nextEvent } from '../helpers/index.js';

/**
 * Long-lived handles and timers by type, e.g. { Timeout: 1, PipeWrap: 2 }: what a leak
 * would add to. In-flight fs requests come and go by themselves and are not counted.
 */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) {
    if (!name.startsWith('FSReq')) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

async function failure(promise: Promise<unknown>): Promise<ProcwireError> {
  const result = await promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
  if (!isProcwireError(result)) throw result;
  return result;
}

// restart: 'never' shows each start failure as itself; under a restarting policy the same
// failures are retried and end in GAVE_UP (test/restart/).
t.test('each failed start rejects with its code, leaves no process, and leaks nothing', async (t) => {
  const sup = await startSupervisor(t, { connectTimeout: 400 });
  const baseline = JSON.stringify(resources());
  const pids: number[] = [];
  const track = (state: { kind: string; pid?: number | undefined }): void => {
    if (state.kind === 'starting' && state.pid !== undefined) pids.push(state.pid);
  };

  const missing = await failure(sup.spawn({ id: 'missing', command: '/nonexistent/bin/compiler-9.9', args: ['x'] }));
  t.equal(missing.code, 'SPAWN_FAILED');
  t.match(missing.message, /child "missing".*"\/nonexistent\/bin\/compiler-9\.9".*ENOENT/);
  t.equal(missing.childId, 'missing');

  const badCwd = await failure(sup.spawn({ id: 'bad-cwd', command: process.execPath, cwd: '/nonexistent/dir' }));
  t.equal(sup.get('bad-cwd'), undefined, 'a command that cannot run is not retried, even under the default policy');
  t.equal(badCwd.code, 'SPAWN_FAILED');
  t.match(badCwd.message, /cwd "\/nonexistent\/dir"/, 'the hint names the cwd');

  const spawning = sup.spawn(nodeSpec('early-exit', 'exits-before-hello.cjs', { restart: 'never' }));
  const exited = await failure(spawning);
  t.equal(exited.code, 'EXITED_BEFORE_READY');
  t.equal(exited.exitCode, 3);
  t.equal(exited.signal, null);
  t.same(exited.stderrTail, ['loading config', 'fatal: config file not found']);
  t.match(exited.message, /exited with code 3 before it was ready.*fatal: config file not found/s);

  // The mute child must get as far as connecting first, which a loaded machine may take a while to do.
  for (const [id, file, why, readyTimeout] of [
    ['silent', 'never-connects.cjs', /never connected/, 600],
    ['mute', 'connects-never-ready.cjs', /connected but never sent procwire\/ready/, 3000],
  ] as const) {
    const spawn = sup.spawn(nodeSpec(id, file, { readyTimeout, stopTimeout: 500, restart: 'never' }));
    const child = sup.get(id);
    child?.on('state', track);
    const error = await failure(spawn);
    t.equal(error.code, 'READY_TIMEOUT', `${id}: READY_TIMEOUT`);
    t.match(error.message, why, `${id}: the message says what was missing`);
    t.match(error.message, /Raise readyTimeout/);
    t.equal(child?.state.kind, 'exited', `${id}: ends in state exited`);
  }
  t.equal(pids.length, 2, 'both timed-out children had been spawned');
  for (const pid of pids) t.notOk(pidAlive(pid), `pid ${pid} is gone when spawn rejects`);

  t.equal(sup.children.size, 0, 'no failed child is kept');
  const settled = await until(() => JSON.stringify(resources()) === baseline, 2000, 'resources').then(
    () => true,
    () => false,
  );
  t.ok(settled, `no handle or timer left behind: ${JSON.stringify(resources())} vs ${baseline}`);
});

t.test('a bad spec throws a TypeError at once that names the field and quotes the value', async (t) => {
  const sup = await startSupervisor(t);
  const cases: [unknown, RegExp][] = [
    [{ id: '', command: 'x' }, /spec\.id must be a non-empty string; got ""/],
    [{ id: 'has space', command: 'x' }, /spec\.id must be 1-128 characters.*"has space"/],
    [{ id: 'a' }, /spec\.command of child "a" must be a non-empty string; got undefined/],
    [{ id: 'a', command: 'x', args: 'x' }, /spec\.args of child "a" must be an array of strings; got "x"/],
    [{ id: 'a', command: 'x', env: { A: 1 } }, /spec\.env of child "a"\.A must be a string; got 1/],
    [{ id: 'a', command: 'x', readyTimeout: -1 }, /readyTimeout of child "a" must be a non-negative duration.*got -1/],
    [{ id: 'a', command: 'x', stopTimeout: '5 parsecs' }, /stopTimeout.*got "5 parsecs"/],
    [
      { id: 'a', command: 'x', connect: 'maybe' },
      /connect of child "a" must be one of 'required', 'none'; got "maybe"/,
    ],
    [{ id: 'a', command: 'x', stdio: 'tty' }, /stdio.*got "tty"/],
    [{ id: 'a', command: 'x', stopSignal: 'SIGSTOP' }, /stopSignal.*got "SIGSTOP"/],
    [{ id: 'a', command: 'x', readyTimout: '1s' }, /unknown option "readyTimout"/],
    [null, /spec must be an object; got null/],
  ];
  for (const [spec, message] of cases) {
    t.throws(() => sup.spawn(spec as never), { name: 'TypeError', message }, String(message));
  }
  t.equal(sup.children.size, 0);
});

t.test('a second child with a taken id is refused with INVALID_SPEC', async (t) => {
  const sup = await startSupervisor(t);
  await sup.spawn(nodeSpec('twin', 'ready-and-echo.cjs'));
  t.throws(() => sup.spawn(nodeSpec('twin', 'ready-and-echo.cjs')), {
    code: 'INVALID_SPEC',
    message: /"twin" already exists/,
  });
  t.equal(sup.children.size, 1);
});

t.test('a stop during start cancels it: spawn rejects with STOPPED and the process is gone', async (t) => {
  const sup = await startSupervisor(t);
  const spawning = sup.spawn(nodeSpec('slow', 'never-connects.cjs', { stopTimeout: 300 }));
  const child = sup.get('slow')!;
  await nextEvent(child, 'state', 'the slow child to be spawned', {
    filter: (s: { kind: string; pid?: number }) => s.kind === 'starting' && s.pid !== undefined,
  });
  const pid = child.pid!;
  const [error, result] = await Promise.all([failure(spawning), child.stop()]);
  t.equal(error.code, 'STOPPED');
  t.equal(result.termination, 'escalated', 'a child that never connected is stopped with a signal');
  t.equal(result.signal, 'SIGTERM');
  t.equal(child.state.kind, 'stopped');
  t.notOk(pidAlive(pid));
});

t.test('a stop issued in the same tick as spawn overtakes the queued start: nothing is spawned', async (t) => {
  const sup = await startSupervisor(t);
  const pids: number[] = [];
  const kinds: string[] = [];
  sup.on('child', (child) =>
    child.on('state', (state) => {
      kinds.push(state.kind);
      if ((state.kind === 'starting' || state.kind === 'stopping') && state.pid !== undefined) pids.push(state.pid);
    }),
  );
  const spawning = sup.spawn(nodeSpec('hasty', 'ready-and-echo.cjs'));
  const child = sup.get('hasty')!;
  const [error, result] = await Promise.all([failure(spawning), child.stop()]);
  t.equal(error.code, 'STOPPED');
  t.equal(child.state.kind, 'stopped');
  t.same(result, { exitCode: null, signal: null, termination: 'indeterminate' }, 'there was no process to end');
  t.same(pids, [], 'no process was spawned');
  t.same(kinds, ['stopped'], 'it never went to starting or running');
});
