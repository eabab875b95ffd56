import t from 'tap';
import { fixture, pidAlive, startSupervisor, within } from '../helpers/index.js';

const worker = { command: process.execPath, args: [fixture('pool-worker.cjs')] };

t.test('with concurrency 2 a worker still stops at maxTasksPerWorker: it drains, then is recycled', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: worker, concurrency: 2, maxTasksPerWorker: 3 });
  const results = await within(
    Promise.all(Array.from({ length: 12 }, (_, n) => pool.request<{ pid: number }>('work', { n }))),
    'all 12 tasks to be answered',
  );
  const perPid = new Map<number, number>();
  for (const { pid } of results) perPid.set(pid, (perPid.get(pid) ?? 0) + 1);
  t.same([...perPid.values()], [3, 3, 3, 3], 'four processes, three tasks each, in turn');
  t.match(pool.stats(), { done: 12 });
  t.ok(
    pool.stats().recycled >= 3,
    `the first three were recycled (the fourth may be under way): ${pool.stats().recycled}`,
  );
  for (const pid of [...perPid.keys()].slice(0, 3)) t.notOk(pidAlive(pid), `retired ${pid} is gone`);
});
