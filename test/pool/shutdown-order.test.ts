import t from 'tap';
import { Supervisor, type ChildState, type LogEntry } from '../../src/index.js';
import { fixture, nextEvent, nodeSpec, within } from '../helpers/index.js';

const worker = { command: process.execPath, args: [fixture('pool-worker.cjs')] };

t.test(
  'sup.shutdown() closes pools first: their tasks reject with STOPPED, then their workers stop, then the other children',
  async (t) => {
    const sup = await Supervisor.start();
    t.teardown(() => sup.shutdown());
    const order: string[] = [];
    const pool = sup.pool({ id: 'p', size: 1, spec: worker });
    await within(pool.ready, 'the pool’s worker to be ready');
    const poolWorker = pool.workers[0]!;
    // Started after the pool: stopping children in reverse start order alone would stop it first.
    const late = await sup.spawn(nodeSpec('late', 'ready-and-echo.cjs'));
    poolWorker.on('state', (state: ChildState) => order.push(`worker ${state.kind}`));
    late.on('state', (state: ChildState) => order.push(`late ${state.kind}`));

    const started = nextEvent<[LogEntry]>(poolWorker, 'log', 'the worker to start the running task', {
      filter: (entry) => entry.message === 'started 1',
    });
    const running = pool.request('slow', { n: 1, ms: 30_000 });
    const queued = pool.request('slow', { n: 2, ms: 10 });
    const settled = (name: string, task: Promise<unknown>): Promise<void> =>
      task.then(
        () => void order.push(`${name} answered`),
        (error: { code?: string }) => void order.push(`${name} ${error.code}`),
      );
    const outcomes = Promise.all([settled('running task', running), settled('queued task', queued)]);
    await started;
    t.same(
      pool.stats(),
      { queued: 1, running: 1, done: 0, failed: 0, retried: 0, recycled: 0 },
      'one task runs and one waits',
    );

    await within(sup.shutdown(), 'the shutdown to finish');
    await within(outcomes, 'both tasks to settle once the shutdown is over', 5000);
    t.same(
      order.slice(0, 2).sort(),
      ['queued task STOPPED', 'running task STOPPED'],
      'first both tasks were cancelled',
    );
    t.same(
      order.slice(2),
      ['worker stopping', 'worker stopped', 'late stopping', 'late stopped'],
      'then the pool’s worker stopped, before the child started after the pool',
    );
    t.ok(pool.closed, 'the pool is closed');
    await t.rejects(pool.request('work', { n: 3 }), { code: 'STOPPED' }, 'and refuses new tasks');
  },
);
