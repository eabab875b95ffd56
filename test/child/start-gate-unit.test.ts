import t from 'tap';
import { StartGate, type ReleaseSlot } from '../../src/child/start-gate.js';

/** Lets every settled promise run its callbacks. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Acquires and records when the slot arrives, without awaiting it. */
function take(gate: StartGate, signal = new AbortController().signal) {
  const entry: { release: ReleaseSlot | undefined; error: unknown } = { release: undefined, error: undefined };
  gate.acquire(signal).then(
    (release) => (entry.release = release),
    (error: unknown) => (entry.error = error),
  );
  return entry;
}

t.test('at most limit slots are taken; waiters get freed slots in FIFO order', async (t) => {
  const gate = new StartGate(2);
  const [a, b, c, d] = [take(gate), take(gate), take(gate), take(gate)];
  await flush();
  t.ok(a.release && b.release, 'the first two get a slot at once');
  t.equal(c.release, undefined);
  t.equal(d.release, undefined);
  t.same([gate.taken, gate.waiting], [2, 2]);

  a.release?.();
  await flush();
  t.ok(c.release, 'the oldest waiter gets the freed slot');
  t.equal(d.release, undefined, 'the next one still waits');
  t.same([gate.taken, gate.waiting], [2, 1]);

  a.release?.();
  await flush();
  t.equal(d.release, undefined, 'a second release of the same slot frees nothing');
  t.same([gate.taken, gate.waiting], [2, 1]);

  b.release?.();
  c.release?.();
  await flush();
  d.release?.();
  t.same([gate.taken, gate.waiting], [0, 0], 'every slot is back');
});

t.test('a freed slot goes to the queue, not to a caller that arrives in the same turn', async (t) => {
  const gate = new StartGate(1);
  const first = take(gate);
  await flush();
  const queued = take(gate);
  first.release?.();
  t.ok(gate.full, "the slot is already the waiter's");
  const late = take(gate);
  await flush();
  t.ok(queued.release);
  t.equal(late.release, undefined);
  queued.release?.();
  await flush();
  t.ok(late.release);
});

t.test("an aborted wait rejects with the signal's reason, leaves the queue and holds nothing", async (t) => {
  const gate = new StartGate(1);
  const holder = take(gate);
  await flush();
  const abort = new AbortController();
  const gone = take(gate, abort.signal);
  const next = take(gate);
  const reason = new Error('stopped');
  abort.abort(reason);
  await flush();
  t.equal(gone.error, reason);
  t.equal(gate.waiting, 1);
  holder.release?.();
  await flush();
  t.ok(next.release, 'the slot skips the aborted waiter');
  t.equal(gone.release, undefined);

  const already = new AbortController();
  already.abort(reason);
  await t.rejects(gate.acquire(already.signal), reason, 'an aborted signal never waits');
  t.same([gate.taken, gate.waiting], [1, 0]);
});

t.test('Infinity never makes anyone wait', async (t) => {
  const gate = new StartGate(Infinity);
  const entries = Array.from({ length: 1000 }, () => take(gate));
  await flush();
  t.ok(entries.every((entry) => entry.release !== undefined));
  t.notOk(gate.full);
});
