import t from 'tap';
import type { LogEntry } from '../../src/index.js';
import { fixture, nextEvent, startSupervisor, within } from '../helpers/index.js';

const worker = { command: process.execPath, args: [fixture('holds-requests.cjs')] };

t.test('concurrency 3: one worker runs three tasks at once, and a fourth waits for a free place', async (t) => {
  const sup = await startSupervisor(t);
  const pool = sup.pool({ id: 'p', size: 1, spec: worker, concurrency: 3 });
  await within(pool.ready, 'the pool’s worker to be ready');
  const only = pool.workers[0]!;
  const inFlight = (n: number): Promise<[LogEntry]> =>
    nextEvent<[LogEntry]>(only, 'log', `the worker to hold ${n} task(s) at once`, {
      filter: (entry) => entry.message === `in flight ${n}`,
    });

  const threeHeld = inFlight(3);
  const tasks = [1, 2, 3, 4].map((n) => pool.request<{ n: number; most: number; pid: number }>('hold', { n }));
  // Should the test fail early, teardown's shutdown rejects the held tasks with STOPPED.
  for (const task of tasks) task.catch(() => undefined);
  await threeHeld;
  t.match(pool.stats(), { running: 3, queued: 1 }, 'three run on the one worker, the fourth is queued');

  const fourthHeld = inFlight(1);
  await only.sendNotification('release');
  await fourthHeld;
  await only.sendNotification('release');
  const answers = await within(Promise.all(tasks), 'all four tasks to be answered');
  t.same(
    answers.map((a) => a.n),
    [1, 2, 3, 4],
    'each task got its own answer',
  );
  t.same(new Set(answers.map((a) => a.pid)), new Set([only.pid]), 'all from the one worker');
  t.same(
    answers.map((a) => a.most),
    [3, 3, 3, 3],
    'it held three at once, never more',
  );
  t.match(pool.stats(), { running: 0, queued: 0, done: 4 });
});
