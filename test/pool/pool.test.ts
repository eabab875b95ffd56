import t from 'tap';
import { once } from 'node:events';
import { isProcwireError, type Child, type LogEntry } from '../../src/index.js';
import { fixture, pidAlive, startSupervisor, within } from '../helpers/index.js';

const worker = { command: process.execPath, args: [fixture('pool-worker.cjs')] };

/** Resolves with the first log line of any worker that matches. */
function logged(workers: readonly Child[], pattern: RegExp): Promise<{ child: Child; entry: LogEntry }> {
  return new Promise((resolve) => {
    for (const child of workers) {
      const onLog = (entry: LogEntry): void => {
        if (!pattern.test(entry.message)) return;
        for (const c of workers) c.removeAllListeners('log');
        resolve({ child, entry });
      };
      child.on('log', onLog);
    }
  });
}

t.test('1,000 tasks over 4 workers are all answered, once each', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'lint', size: 4, spec: worker });
  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, n) => pool.request<{ n: number; doubled: number; pid: number }>('work', { n })),
  );
  t.same(
    results.map((r) => r.n),
    Array.from({ length: 1000 }, (_, n) => n),
    'every task got its own answer, in order',
  );
  t.ok(results.every((r) => r.doubled === r.n * 2));
  const pids = new Set(results.map((r) => r.pid));
  t.same([...pids].sort(), pool.workers.map((w) => w.pid).sort(), 'all four workers served');
  t.equal(pool.workers.length, 4);
  t.same(
    pool.workers.map((w) => w.id),
    ['lint/1', 'lint/2', 'lint/3', 'lint/4'],
  );
  t.same(pool.stats(), { queued: 0, running: 0, done: 1000, failed: 0, retried: 0, recycled: 0 });
});

t.test('a worker killed mid-task: the task is retried on another worker and answered once', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'tsc', size: 2, spec: { ...worker, backoff: { initial: 10 } }, retries: 1 });
  await pool.ready;
  const started = logged(pool.workers, /^started 7$/);
  const answer = pool.request<{ n: number; pid: number }>('slow', { n: 7, ms: 300 });
  const { child: victim } = await started;
  const victimPid = victim.pid!;
  const replaced = within(once(victim, 'ready'), 'the killed worker to be ready again');
  process.kill(victimPid, 'SIGKILL');
  const result = await answer;
  t.equal(result.n, 7);
  t.not(result.pid, victimPid, 'answered by a live worker');
  t.match(pool.stats(), { done: 1, failed: 0, retried: 1 });
  await replaced;
  t.not(victim.pid, victimPid, 'the killed worker was replaced');
});

t.test('without retries left a dead worker’s task rejects with WORKER_DIED naming the worker', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'tsc', size: 1, spec: { ...worker, backoff: { initial: 10 } } });
  await pool.ready;
  const started = logged(pool.workers, /^started 1$/);
  const answer = pool.request('slow', { n: 1, ms: 5000 });
  await started;
  process.kill(pool.workers[0]!.pid!, 'SIGKILL');
  const error = await answer.catch((e: unknown) => e);
  t.ok(isProcwireError(error, 'WORKER_DIED'), String(error));
  t.match(error, { workerId: 'tsc/1', message: /worker tsc\/1 died while running "slow" \(attempt 1\)/ });
  t.match(pool.stats(), { failed: 1, retried: 0 });
});

t.test('a task that times out rejects with TASK_TIMEOUT and its worker is replaced', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: { ...worker, stopTimeout: 300 }, taskTimeout: 200 });
  await pool.ready;
  const stuck = pool.workers[0]!;
  const pid = stuck.pid!;
  const error = await pool.request('hang').catch((e: unknown) => e);
  t.ok(isProcwireError(error, 'TASK_TIMEOUT'), String(error));
  t.match(error, { workerId: 'p/1', message: /task "hang" got no answer from worker p\/1 within 200 ms/ });
  t.match(await pool.request('work', { n: 1 }), { n: 1 }, 'the pool still serves');
  t.not(stuck.pid, pid, 'served by a fresh process');
  t.notOk(pidAlive(pid));
});

t.test("a task's timeout limits its attempt, not its wait in the queue; a signal bounds the whole", async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: worker });
  await pool.ready;
  const started = logged(pool.workers, /^started 1$/);
  const busy = pool.request('slow', { n: 1, ms: 600 });
  await started;
  // Both queue behind the slow task, for longer than their limits of 200 ms.
  const timed = pool.request('work', { n: 2 }, { timeout: '200ms' });
  const signalled = pool.request('work', { n: 3 }, { signal: AbortSignal.timeout(200) });
  t.ok(isProcwireError(await signalled.catch((e: unknown) => e), 'ABORTED'), 'the signal ends the wait in the queue');
  t.match(await timed, { n: 2 }, 'the timeout did not count the queue: answered after the slow task');
  t.match(await busy, { n: 1 });
});

t.test('the worker’s own error is the task’s answer and is not retried', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: worker, retries: 3 });
  await t.rejects(pool.request('fail', { why: 'syntax error in a.ts' }), { message: /syntax error in a\.ts/ });
  t.match(pool.stats(), { failed: 1, retried: 0, done: 0 });
});

t.test('maxTasksPerWorker recycles workers: fresh pids, no worker over the limit', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 2, spec: worker, maxTasksPerWorker: 5 });
  const results = await Promise.all(Array.from({ length: 30 }, (_, n) => pool.request<{ pid: number }>('work', { n })));
  const perPid = new Map<number, number>();
  for (const { pid } of results) perPid.set(pid, (perPid.get(pid) ?? 0) + 1);
  t.ok(perPid.size >= 6, `30 tasks at 5 per process need at least 6 processes; saw ${perPid.size}`);
  t.ok(
    [...perPid.values()].every((count) => count <= 5),
    `no process served more than 5: ${JSON.stringify([...perPid.values()])}`,
  );
  t.ok(pool.stats().recycled >= 4, `recycled ${pool.stats().recycled}`);
  for (const pid of perPid.keys())
    if (!pool.workers.some((w) => w.pid === pid)) t.notOk(pidAlive(pid), `retired ${pid} is gone`);
});

t.test('aborting cancels a queued task, and a running one with $/cancelRequest', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: worker });
  await pool.ready;
  const started = logged(pool.workers, /^started 1$/);
  const running = new AbortController();
  const first = pool.request('slow', { n: 1, ms: 10_000 }, { signal: running.signal });
  const queued = new AbortController();
  const second = pool.request('slow', { n: 2, ms: 10 }, { signal: queued.signal });
  await started;
  t.equal(pool.stats().queued, 1);
  queued.abort();
  await t.rejects(second, { code: 'ABORTED', message: /task "slow" was aborted/ });
  t.equal(pool.stats().queued, 0, 'the queued task left the queue');
  const cancelled = logged(pool.workers, /^cancelled 1$/);
  running.abort();
  await t.rejects(first, { code: 'ABORTED' });
  await cancelled;
  t.pass('the worker saw the cancellation');
  t.match(await pool.request('work', { n: 3 }), { n: 3 }, 'the worker is free again');
});

t.test('broadcast reaches every worker', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 3, spec: worker, concurrency: 1 });
  await pool.ready;
  t.equal(await pool.broadcast('set-config', { strict: true }), 3);
  const answers = await Promise.all(pool.workers.map((w) => w.sendRequest<{ config: unknown }>('config')));
  t.same(
    answers.map((a) => a.config),
    [{ strict: true }, { strict: true }, { strict: true }],
  );
});

t.test('close drains by default, cancels on request, then stops and removes the workers', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 2, spec: worker });
  await pool.ready;
  const pids = pool.workers.map((w) => w.pid!);
  const pending = Array.from({ length: 6 }, (_, n) => pool.request<{ n: number }>('slow', { n, ms: 20 }));
  const closing = pool.close();
  await t.rejects(pool.request('work', { n: 9 }), { code: 'STOPPED' });
  t.same(
    (await Promise.all(pending)).map((r) => r.n),
    [0, 1, 2, 3, 4, 5],
    'queued and running tasks finished',
  );
  await closing;
  t.same(pids.filter(pidAlive), []);
  t.equal(sup.get('p/1'), undefined, 'workers are removed from the supervisor');

  const second = sup.pool({ id: 'p', size: 1, spec: worker });
  await second.ready;
  const outcomes = Promise.allSettled([second.request('slow', { n: 1, ms: 10_000 }), second.request('work', { n: 2 })]);
  await second.close({ cancel: true });
  const [long, waiting] = await outcomes;
  t.match(long, { status: 'rejected', reason: { code: 'STOPPED' } }, 'the running task was cancelled');
  t.match(waiting, { status: 'rejected', reason: { code: 'STOPPED' } }, 'the queued task was cancelled');
});

t.test('close stops a worker still starting at once, not after its start runs out its retries', async (t) => {
  const sup = await startSupervisor(t);
  const hung = { command: process.execPath, args: [fixture('connects-never-ready.cjs')], readyTimeout: '1s' };
  const spawned = within(
    new Promise<Child>((resolve) =>
      sup.on('child', (child) =>
        child.on('state', (state) => state.kind === 'starting' && state.pid !== undefined && resolve(child)),
      ),
    ),
    'the worker to spawn',
  );
  const pool = sup.pool({ id: 'p', size: 1, spec: hung });
  const worker = await spawned;
  const task = t.rejects(pool.request('work', { n: 1 }), { code: 'STOPPED' }, 'the queued task was cancelled');
  await pool.close({ cancel: true });
  t.match(worker.state, { kind: 'stopped' }, 'the worker was stopped');
  t.equal(worker.restarts, 0, 'during its first start: close did not wait for the start to be retried and fail');
  await task;
});

t.test('stats: a task whose caller has its answer no longer counts as running', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: worker });
  await pool.request('work', { n: 1 });
  t.match(pool.stats(), { queued: 0, running: 0, done: 1, failed: 0 });
  await pool.request('fail', { why: 'no' }).catch(() => undefined);
  t.match(pool.stats(), { queued: 0, running: 0, done: 1, failed: 1 });
});

t.test('bad task arguments throw a TypeError at once, naming the option', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: worker });
  t.throws(() => pool.request('work', { n: 1 }, { timout: '5s' } as never), {
    name: 'TypeError',
    message: /options of task "work" in pool "p" has an unknown option "timout"; known options: timeout, signal/,
  });
  t.throws(() => pool.request('work', 5), { name: 'TypeError', message: /params of "work" must be an object/ });
  t.throws(() => pool.request('procwire/ready'), { name: 'TypeError', message: /reserved by procwire/ });
  t.throws(() => pool.broadcast('procwire/ready'), { name: 'TypeError', message: /reserved by procwire/ });
  t.same(pool.stats(), { queued: 0, running: 0, done: 0, failed: 0, retried: 0, recycled: 0 }, 'nothing was queued');
  t.match(await pool.request('work', { n: 2 }), { n: 2 }, 'the pool still works');
});

t.test('bad pool options throw a TypeError at once', async (t) => {
  const sup = await startSupervisor(t);
  t.throws(() => sup.pool({ id: 'p', size: 0, spec: worker }), {
    name: 'TypeError',
    message: /size must be an integer from 1/,
  });
  t.throws(() => sup.pool({ id: 'p', size: 1, spec: { ...worker, restart: 'sometimes' as never } }), {
    name: 'TypeError',
    message: /restart of child "p\/1"/,
  });
  t.throws(() => sup.pool({ id: 'p', size: 1, spec: { id: 'x', ...worker } as never }), {
    name: 'TypeError',
    message: /must not have an id/,
  });
  t.throws(() => sup.pool({ id: 'p', size: 1, spec: worker, retries: -1 }), { name: 'TypeError' });
  // A worker without a connection could never take a task; they would wait queued for ever.
  t.throws(() => sup.pool({ id: 'p', size: 1, spec: { ...worker, connect: 'none' } }), {
    name: 'TypeError',
    message: /pool "p" spec\.connect must be 'required' \(the default\): tasks are requests/,
  });
  t.equal(sup.children.size, 0);
});

t.test('a pool whose workers cannot start rejects its tasks with WORKER_DIED', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 2, spec: { command: '/nonexistent/worker' } });
  const error = await pool.request('work', { n: 1 }).catch((e: unknown) => e);
  t.ok(isProcwireError(error, 'WORKER_DIED'), String(error));
  t.match(error, { message: /no live worker is left to run "work".*could not spawn/ });
});
