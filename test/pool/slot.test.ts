import t from 'tap';
import { ProcwireError } from '../../src/index.js';
import {
  finishTask,
  killSlot,
  observeSlot,
  runningOn,
  startingSlot,
  takeTask,
  type Slot,
} from '../../src/pool/slot.js';

const gaveUp = new ProcwireError('GAVE_UP', 'child "p/1" gave up');

t.test('observeSlot: a slot follows its worker up and down; recycling and dead do not', async (t) => {
  t.same(observeSlot(startingSlot, false), startingSlot, 'not up yet: still starting');
  t.same(
    observeSlot(startingSlot, true),
    { kind: 'ready', served: 0 },
    'up: ready, a fresh process has served nothing',
  );
  t.same(
    observeSlot({ kind: 'starting', running: 2 }, true),
    { kind: 'busy', running: 2, served: 0 },
    'attempts not back yet keep it busy',
  );
  t.same(observeSlot({ kind: 'ready', served: 4 }, true), { kind: 'ready', served: 4 });
  t.same(observeSlot({ kind: 'ready', served: 4 }, false), { kind: 'starting', running: 0 }, 'its process went away');
  t.same(observeSlot({ kind: 'busy', running: 1, served: 4 }, true), { kind: 'busy', running: 1, served: 4 });
  t.same(
    observeSlot({ kind: 'busy', running: 1, served: 4 }, false),
    { kind: 'starting', running: 1 },
    'down while busy: the attempt is still counted until it comes back',
  );
  const recycling: Slot = { kind: 'recycling', running: 0, cause: 'served' };
  t.equal(observeSlot(recycling, true), recycling, 'the pool decides when a recycle ends');
  t.equal(observeSlot(recycling, false), recycling);
  const dead: Slot = { kind: 'dead', running: 0, error: gaveUp, death: 1 };
  t.equal(observeSlot(dead, true), dead, 'dead stays dead');
});

t.test('takeTask: only a ready or busy slot takes a task', async (t) => {
  t.same(takeTask({ kind: 'ready', served: 3 }), { kind: 'busy', running: 1, served: 3 });
  t.same(takeTask({ kind: 'busy', running: 2, served: 3 }), { kind: 'busy', running: 3, served: 3 });
  for (const slot of [
    startingSlot,
    { kind: 'recycling', running: 0, cause: 'stuck' },
    { kind: 'dead', running: 0, error: gaveUp, death: 1 },
  ] as const) {
    t.throws(() => takeTask(slot), { message: `a ${slot.kind} pool slot cannot take a task` });
  }
});

t.test('finishTask: an attempt that came back frees its place and counts as served while up', async (t) => {
  t.same(finishTask({ kind: 'busy', running: 1, served: 3 }), { kind: 'ready', served: 4 }, 'the last one: ready');
  t.same(finishTask({ kind: 'busy', running: 3, served: 3 }), { kind: 'busy', running: 2, served: 4 });
  const ready: Slot = { kind: 'ready', served: 3 };
  t.equal(finishTask(ready), ready, 'nothing was running');
  t.same(
    finishTask({ kind: 'starting', running: 2 }),
    { kind: 'starting', running: 1 },
    'a gone process serves nothing',
  );
  t.same(finishTask({ kind: 'recycling', running: 1, cause: 'stuck' }), {
    kind: 'recycling',
    running: 0,
    cause: 'stuck',
  });
  t.same(finishTask({ kind: 'dead', running: 1, error: gaveUp, death: 2 }), {
    kind: 'dead',
    running: 0,
    error: gaveUp,
    death: 2,
  });
  t.same(finishTask(startingSlot), startingSlot, 'never below 0');
});

t.test('killSlot: any slot can die, keeping its running count; the first death stands', async (t) => {
  t.same(killSlot(startingSlot, gaveUp, 1), { kind: 'dead', running: 0, error: gaveUp, death: 1 });
  t.same(killSlot({ kind: 'ready', served: 2 }, gaveUp, 1), { kind: 'dead', running: 0, error: gaveUp, death: 1 });
  t.same(killSlot({ kind: 'busy', running: 2, served: 0 }, gaveUp, 3), {
    kind: 'dead',
    running: 2,
    error: gaveUp,
    death: 3,
  });
  t.same(killSlot({ kind: 'recycling', running: 1, cause: 'served' }, gaveUp, 1), {
    kind: 'dead',
    running: 1,
    error: gaveUp,
    death: 1,
  });
  const dead: Slot = { kind: 'dead', running: 0, error: gaveUp, death: 1 };
  t.equal(killSlot(dead, new ProcwireError('SPAWN_FAILED', 'later'), 2), dead);
});

t.test('runningOn counts the attempts out on any slot', async (t) => {
  t.equal(runningOn({ kind: 'ready', served: 9 }), 0);
  t.equal(runningOn({ kind: 'busy', running: 2, served: 0 }), 2);
  t.equal(runningOn({ kind: 'starting', running: 1 }), 1);
});
