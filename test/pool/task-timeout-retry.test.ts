import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcwireError } from '../../src/index.js';
import { EVENT_WAIT_MS, fixture, pidAlive, startSupervisor, until, within } from '../helpers/index.js';

t.test(
  'a task whose worker does not answer within taskTimeout is retried on another worker, and answered',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'procwire-task-timeout-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const marker = join(dir, 'hung-pid');
    const sup = await startSupervisor(t);
    const spec = {
      command: process.execPath,
      args: [fixture('hangs-on-first-task.cjs')],
      env: { HANG_MARKER: marker },
      stopTimeout: 300,
    };
    const pool = sup.pool({ id: 'p', size: 2, spec, taskTimeout: 300, retries: 1 });
    await within(pool.ready, 'both workers to be ready');
    const pidsBefore = new Map(pool.workers.map((w) => [w.pid!, w.id]));

    const answer = await within(
      pool.request<{ n: number; pid: number }>('answer', { n: 7 }),
      'the retried task to be answered',
    );
    const hungPid = Number(readFileSync(marker, 'utf8'));
    t.equal(answer.n, 7);
    t.ok(pidsBefore.has(hungPid), 'the first attempt went to one of the workers, which did not answer');
    t.not(answer.pid, hungPid, 'the answer came from another process');
    t.ok(pidsBefore.has(answer.pid), `…the other worker (${pidsBefore.get(answer.pid)}), not a fresh one`);
    t.not(pidsBefore.get(answer.pid), pidsBefore.get(hungPid), 'another worker');
    t.match(pool.stats(), { done: 1, failed: 0, retried: 1 }, 'answered once, after one retry');
    const stuck = pool.workers.find((w) => w.id === pidsBefore.get(hungPid))!;
    await until(
      () => stuck.state.kind === 'running' && stuck.pid !== hungPid,
      EVENT_WAIT_MS,
      `worker ${stuck.id} to be replaced by a fresh process`,
    );
    t.notOk(pidAlive(hungPid), 'the worker that did not answer was restarted');
  },
);

t.test(
  'with its retries used up a task that gets no answer rejects with TASK_TIMEOUT naming the last worker',
  async (t) => {
    const sup = await startSupervisor(t);
    const spec = { command: process.execPath, args: [fixture('pool-worker.cjs')], stopTimeout: 300 };
    const pool = sup.pool({ id: 'p', size: 2, spec, taskTimeout: 300, retries: 1 });
    await within(pool.ready, 'both workers to be ready');
    const started = Date.now();
    const error = await within(
      pool.request('hang').catch((e: unknown) => e),
      'the task to reject',
    );
    const took = Date.now() - started;
    t.ok(isProcwireError(error, 'TASK_TIMEOUT'), String(error));
    t.match(error, {
      workerId: 'p/2',
      message: /task "hang" got no answer from worker p\/2 within 300 ms \(attempt 2\)/,
    });
    t.ok(isProcwireError((error as { cause?: unknown }).cause, 'TIMEOUT'), 'the cause is the request’s own TIMEOUT');
    t.match(pool.stats(), { done: 0, failed: 1, retried: 1 }, 'tried twice: once, then one retry');
    t.ok(took >= 2 * 300 - 20, `each attempt had its full taskTimeout (${took} ms for two)`);
  },
);
