import t from 'tap';
import { isProcwireError } from '../../src/index.js';
import { startSupervisor, within } from '../helpers/index.js';

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
