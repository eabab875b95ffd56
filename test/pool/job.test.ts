import t from 'tap';
import { openJob, type Job } from '../../src/pool/job.js';

function open(signal?: AbortSignal) {
  const aborts: Job[] = [];
  const settlements: (Error | undefined)[] = [];
  const opened = openJob<string>(
    { method: 'lint', params: { file: 'a.ts' }, timeoutMs: 100, signal },
    { aborted: (job) => aborts.push(job), settled: (error) => settlements.push(error) },
  );
  return { ...opened, aborts, settlements };
}

t.test('a job starts queued and is answered once', async (t) => {
  const { job, answer, settlements } = open();
  t.match(job, { method: 'lint', params: { file: 'a.ts' }, timeoutMs: 100, state: { kind: 'queued', attempts: 0 } });
  job.settle(undefined, 'clean');
  job.settle(new Error('late'));
  job.settle(undefined, 'again');
  t.equal(await answer, 'clean');
  t.same(settlements, [undefined], 'the pool hears of one settlement');
  t.same(job.state, { kind: 'settled' });
});

t.test('a rejected job rejects its answer', async (t) => {
  const { job, answer, settlements } = open();
  const error = new Error('syntax error');
  job.settle(error);
  await t.rejects(answer, error);
  t.same(settlements, [error]);
});

t.test('an abort of the signal reaches the pool while the job is unsettled, and not after', async (t) => {
  const first = new AbortController();
  const unsettled = open(first.signal);
  first.abort();
  t.same(unsettled.aborts, [unsettled.job]);

  const second = new AbortController();
  const settled = open(second.signal);
  settled.job.settle(undefined, 'done');
  second.abort();
  t.same(settled.aborts, [], 'the listener went with the settlement');
  t.equal(await settled.answer, 'done');
});
