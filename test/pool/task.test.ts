import t from 'tap';
import { ProcwireError } from '../../src/index.js';
import { abortTask, newTask, requeueTask, settledTask, startAttempt, type TaskState } from '../../src/pool/task.js';

const aborted = new ProcwireError('ABORTED', 'pool "p": task "x" was aborted');
const stopped = new ProcwireError('STOPPED', 'pool "p": the pool closed before task "x" finished');

t.test('a task counts its attempts across retries', async (t) => {
  const first = startAttempt(newTask, 2);
  t.same(first, { kind: 'running', slot: 2, attempt: 1 }, 'attempt 1 on slot 2');
  const again = requeueTask(first);
  t.same(again, { kind: 'queued', attempts: 1 }, 'back in the queue, remembering the attempt');
  t.same(startAttempt(again, 0), { kind: 'running', slot: 0, attempt: 2 }, 'attempt 2, on another slot');
});

t.test('only a queued task starts an attempt, and only a running one is queued again', async (t) => {
  t.throws(() => startAttempt(first(), 1), { message: 'a running pool task cannot start an attempt' });
  t.throws(() => startAttempt(settledTask, 1), { message: 'a settled pool task cannot start an attempt' });
  t.throws(() => requeueTask(newTask), { message: 'a queued pool task cannot be queued again' });
  t.throws(() => requeueTask(settledTask), { message: 'a settled pool task cannot be queued again' });
});

t.test('abortTask: settle a queued task, cancel a running attempt, leave a settled task alone', async (t) => {
  t.same(abortTask(newTask, aborted), { action: 'settle' });
  t.same(abortTask(first(), aborted), {
    action: 'cancel-attempt',
    task: { kind: 'running', slot: 0, attempt: 1, aborted },
  });
  t.same(abortTask(settledTask, aborted), { action: 'none' });
  const cancelled = abortTask(first(), aborted);
  const task = cancelled.action === 'cancel-attempt' ? cancelled.task : newTask;
  t.same(
    abortTask(task, stopped),
    { action: 'cancel-attempt', task: { kind: 'running', slot: 0, attempt: 1, aborted } },
    'the abort that cancelled the attempt is its answer, not a later one',
  );
});

function first(): TaskState {
  return startAttempt(newTask, 0);
}
