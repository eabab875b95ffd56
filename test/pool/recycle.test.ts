import t from 'tap';
import { ProcwireError } from '../../src/index.js';
import { beginRecycling, endRecycling, isDueForRecycling } from '../../src/pool/recycle.js';
import type { Slot } from '../../src/pool/slot.js';

const max5 = { maxTasksPerWorker: 5, closing: false };
const dead: Slot = { kind: 'dead', running: 0, error: new ProcwireError('GAVE_UP', 'gave up'), death: 1 };

t.test('isDueForRecycling: an idle worker that served its share, while the pool is open', async (t) => {
  t.ok(isDueForRecycling({ kind: 'ready', served: 5 }, max5), 'served 5 of 5');
  t.ok(isDueForRecycling({ kind: 'ready', served: 6 }, max5), 'served past it (the pool was closing for a while)');
  t.notOk(isDueForRecycling({ kind: 'ready', served: 4 }, max5), 'served 4 of 5');
  t.notOk(isDueForRecycling({ kind: 'ready', served: 5 }, { ...max5, maxTasksPerWorker: 0 }), 'no limit');
  t.notOk(isDueForRecycling({ kind: 'ready', served: 5 }, { ...max5, closing: true }), 'closing: its workers stop');
  t.notOk(isDueForRecycling({ kind: 'busy', running: 1, served: 5 }, max5), 'busy: wait until it is idle');
  t.notOk(isDueForRecycling({ kind: 'starting', running: 0 }, max5), 'starting: a fresh process comes anyway');
  t.notOk(isDueForRecycling({ kind: 'recycling', running: 0, cause: 'served' }, max5), 'already recycling');
  t.notOk(isDueForRecycling(dead, max5), 'dead');
});

t.test('beginRecycling takes a live slot out of dispatch, once; endRecycling lets it start again', async (t) => {
  t.same(beginRecycling({ kind: 'ready', served: 5 }, 'served'), { kind: 'recycling', running: 0, cause: 'served' });
  t.same(beginRecycling({ kind: 'busy', running: 2, served: 1 }, 'stuck'), {
    kind: 'recycling',
    running: 2,
    cause: 'stuck',
  });
  t.same(beginRecycling({ kind: 'starting', running: 1 }, 'stuck'), { kind: 'recycling', running: 1, cause: 'stuck' });
  t.equal(
    beginRecycling({ kind: 'recycling', running: 0, cause: 'served' }, 'stuck'),
    undefined,
    'one restart at a time',
  );
  t.equal(beginRecycling(dead, 'stuck'), undefined, 'a dead worker is not restarted');

  t.same(endRecycling({ kind: 'recycling', running: 1, cause: 'stuck' }), { kind: 'starting', running: 1 });
  t.equal(endRecycling(dead), dead, 'a slot that died meanwhile stays dead');
  const ready: Slot = { kind: 'ready', served: 0 };
  t.equal(endRecycling(ready), ready);
});
