import t from 'tap';
import { isProcwireError, type ChildState } from '../../src/index.js';
import { fixture, nextEvent, startSupervisor, within } from '../helpers/index.js';

t.test('a task sent after every worker failed to start rejects at once with WORKER_DIED', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 2, spec: { command: '/nonexistent/worker' } });
  await within(pool.ready, 'both workers to fail to start');
  const error = await within(
    pool.request('work', { n: 1 }).catch((e: unknown) => e),
    'the task to be rejected (it must not wait for a worker that will never come)',
    5000,
  );
  t.ok(isProcwireError(error, 'WORKER_DIED'), String(error));
  t.match(error, { workerId: /^p\/[12]$/, message: /no live worker is left to run "work".*could not spawn/ });
  t.match(pool.stats(), { queued: 0, running: 0, failed: 1 });
});

t.test("a worker whose own restart policy ('never') lets it end makes its tasks fail, not wait", async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({
    id: 'q',
    size: 1,
    spec: { command: process.execPath, args: [fixture('pool-worker.cjs')], restart: 'never' },
  });
  await within(pool.ready, 'the worker to be ready');
  const [worker] = pool.workers;
  t.ok(worker, 'the pool has its worker');
  const exited = nextEvent<[ChildState]>(worker!, 'state', 'the worker to end exited', {
    filter: (state) => state.kind === 'exited',
  });
  process.kill(worker!.pid!, 'SIGKILL');
  await exited;
  const error = await within(
    pool.request('work', { n: 1 }).catch((e: unknown) => e),
    'the task to be rejected (the worker will never come back)',
    5000,
  );
  t.ok(isProcwireError(error, 'WORKER_DIED'), String(error));
  t.match(error, {
    workerId: 'q/1',
    message:
      /^pool "q": no live worker is left to run "work": child "q\/1" exited by SIGKILL and its restart policy \("never"\)/,
  });
});
