import t from 'tap';
import { ProcwireError } from '../../src/index.js';
import { hasRoom, planDispatch, strandedError, type DispatchLimits } from '../../src/pool/dispatch.js';
import type { Slot } from '../../src/pool/slot.js';

const one: DispatchLimits = { concurrency: 1, maxTasksPerWorker: 0, closing: false };
const ready = (served = 0): Slot => ({ kind: 'ready', served });
const busy = (running: number, served = 0): Slot => ({ kind: 'busy', running, served });
const dead = (death: number, message = `death ${death}`): Slot => ({
  kind: 'dead',
  running: 0,
  error: new ProcwireError('GAVE_UP', message),
  death,
});

t.test('hasRoom: only an up slot below its concurrency takes a task', async (t) => {
  t.ok(hasRoom(ready(), one), 'ready');
  t.notOk(hasRoom({ kind: 'starting', running: 0 }, one), 'starting');
  t.notOk(hasRoom({ kind: 'recycling', running: 0, cause: 'served' }, one), 'recycling');
  t.notOk(hasRoom(dead(1), one), 'dead');
  t.notOk(hasRoom(busy(1), one), 'busy at concurrency 1');
  const three = { ...one, concurrency: 3 };
  t.ok(hasRoom(busy(2), three), 'busy with 2 of 3');
  t.notOk(hasRoom(busy(3), three), 'busy with 3 of 3');
});

t.test('hasRoom: a worker never takes more than maxTasksPerWorker, unless the pool is closing', async (t) => {
  const max5 = { concurrency: 2, maxTasksPerWorker: 5, closing: false };
  t.ok(hasRoom(ready(4), max5), 'served 4 of 5: one more');
  t.notOk(hasRoom(ready(5), max5), 'served 5 of 5 (it is about to be recycled)');
  t.ok(hasRoom(busy(1, 3), max5), '3 served + 1 running < 5');
  t.notOk(hasRoom(busy(1, 4), max5), '4 served + 1 running = 5: it drains, then is recycled');
  t.ok(hasRoom(ready(5), { ...max5, closing: true }), 'a closing pool recycles nothing, so the limit is lifted');
  t.ok(hasRoom(ready(1000), { ...max5, maxTasksPerWorker: 0 }), '0: no limit');
});

t.test('planDispatch: queued tasks go, in order, to the first slot with room', async (t) => {
  const slots = [busy(1), { kind: 'starting', running: 0 }, ready(), ready()] as const;
  t.same(planDispatch(slots, 1, one), { kind: 'send', slots: [2] }, 'the first slot with room');
  t.same(planDispatch(slots, 5, one), { kind: 'send', slots: [2, 3] }, 'as many as have room; the rest wait');
  t.same(planDispatch(slots, 0, one), { kind: 'send', slots: [] }, 'an empty queue sends nothing');
  t.same(
    planDispatch([busy(1), ready()], 4, { ...one, concurrency: 3 }),
    { kind: 'send', slots: [0, 0, 1, 1] },
    'concurrency 3: the first slot fills up before the next is used',
  );
  t.same(
    planDispatch([ready(3), ready()], 3, { concurrency: 2, maxTasksPerWorker: 5, closing: false }),
    { kind: 'send', slots: [0, 0, 1] },
    'the worker near its limit gets only what it may still serve',
  );
  t.same(planDispatch([], 3, one), { kind: 'send', slots: [] }, 'no slots at all: nothing to send, nothing stranded');
});

t.test('planDispatch: when every slot is dead, the queue is stranded by the last death', async (t) => {
  t.same(planDispatch([dead(2), dead(3), dead(1)], 2, one), {
    kind: 'stranded',
    by: 1,
    error: new ProcwireError('GAVE_UP', 'death 3'),
  });
  const stranded = planDispatch([dead(1)], 1, one);
  t.equal(stranded.kind === 'stranded' && stranded.error.message, 'death 1');
  t.same(
    planDispatch([dead(1), { kind: 'starting', running: 0 }], 2, one),
    { kind: 'send', slots: [] },
    'one may live',
  );
  t.same(planDispatch([dead(1), dead(2)], 0, one), { kind: 'send', slots: [] }, 'nothing queued, nothing to reject');
});

t.test('strandedError: WORKER_DIED naming the task, the worker and why it died', async (t) => {
  const cause = new ProcwireError('SPAWN_FAILED', 'child "p/2" could not spawn /nonexistent/worker: ENOENT');
  const error = strandedError('p', 'work', { workerId: 'p/2', error: cause });
  t.match(error, {
    code: 'WORKER_DIED',
    workerId: 'p/2',
    cause,
    message: 'pool "p": no live worker is left to run "work": child "p/2" could not spawn /nonexistent/worker: ENOENT',
  });
});
