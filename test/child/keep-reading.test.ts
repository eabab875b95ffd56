import t from 'tap';
import { keepReading, type DrainLook } from '../../src/child/keep-reading.js';

// The decision behind ChildConnection.closeWhenDrained, one look at a time. The integration
// side (a dead child's burst read to the end, a grandchild's socket closed) is in
// last-words.test.ts; the case here that a real process shows only by chance is the pause that
// lifted just before a look, with the next read not yet made (CI lost a burst's end to it once).
const look = (over: Partial<DrainLook>): DrainLook => ({
  behind: false,
  wasBehind: false,
  progressed: false,
  pastLimit: false,
  ...over,
});

t.test('a dead process socket is read on while anything says more may come', async (t) => {
  t.equal(keepReading(look({ behind: true })), true, 'paused by our own backpressure now');
  t.equal(
    keepReading(look({ wasBehind: true })),
    true,
    'paused at the last look and not now: the pause just lifted, the next read is not made yet',
  );
  t.equal(keepReading(look({ progressed: true })), true, 'bytes read since the last look');
  t.equal(keepReading(look({})), false, 'a grace period with nothing read and nothing held back: closed');
});

t.test('the whole wait is bounded', async (t) => {
  for (const over of [{ behind: true }, { wasBehind: true }, { progressed: true }]) {
    t.equal(keepReading(look({ ...over, pastLimit: true })), false, `${JSON.stringify(over)} past the limit: closed`);
  }
});
