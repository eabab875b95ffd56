import t from 'tap';
import { isProcwireError } from '../../src/index.js';
import { nodeSpec, pidAlive, recordLives, startSupervisor, within } from '../helpers/index.js';

t.test(
  "a child that breaks the protocol before ready makes spawn reject with PROTOCOL_ERROR under restart: 'never'",
  async (t) => {
    const sup = await startSupervisor(t);
    const lives = recordLives(sup);
    // readyTimeout is short so that a start not ended by the violation fails fast as READY_TIMEOUT.
    const spec = nodeSpec('early-typo', 'bad-port-before-ready.cjs', { restart: 'never', readyTimeout: 3000 });
    const error = await within(
      sup.spawn(spec).catch((e: unknown) => e),
      'the spawn to reject',
    );
    t.ok(isProcwireError(error, 'PROTOCOL_ERROR'), String(error));
    t.match(error, {
      childId: 'early-typo',
      message: /child "early-typo": procwire\/port: port must be an integer 0-65535, got "eighty"/,
    });
    const life = lives.get('early-typo')!;
    t.equal(life.pids.length, 1, 'one process, not retried');
    t.same(life.pids.filter(pidAlive), [], 'it is gone by the time spawn rejects');
    t.equal(sup.get('early-typo'), undefined, 'the id is free again');
  },
);

t.test("an oversize frame before ready makes spawn reject with MESSAGE_TOO_LARGE under restart: 'never'", async (t) => {
  const sup = await startSupervisor(t, { maxMessageSize: 64 * 1024 });
  const lives = recordLives(sup);
  const spec = nodeSpec('big', 'raw-client.cjs', {
    args: ['oversize-before-ready'],
    restart: 'never',
    readyTimeout: 3000,
  });
  const error = await within(
    sup.spawn(spec).catch((e: unknown) => e),
    'the spawn to reject',
  );
  t.ok(isProcwireError(error, 'MESSAGE_TOO_LARGE'), String(error));
  t.match(error, {
    childId: 'big',
    message: /child "big": frame of 999999999 bytes exceeds maxMessageSize \(65536 bytes\)/,
  });
  const life = lives.get('big')!;
  t.equal(life.pids.length, 1, 'one process, not retried');
  t.same(life.pids.filter(pidAlive), [], 'it is gone by the time spawn rejects');
  t.equal(sup.get('big'), undefined, 'the id is free again');
});

t.test('under a policy that retries, the protocol error is the cause of GAVE_UP', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const spec = nodeSpec('early-typo', 'bad-port-before-ready.cjs', {
    restart: 'on-failure',
    maxRestarts: 1,
    backoff: { initial: 10 },
    readyTimeout: 3000,
  });
  const error = await within(
    sup.spawn(spec).catch((e: unknown) => e),
    'the spawn to reject',
  );
  t.ok(isProcwireError(error, 'GAVE_UP'), String(error));
  t.ok(isProcwireError((error as { cause?: unknown }).cause, 'PROTOCOL_ERROR'), 'caused by the PROTOCOL_ERROR');
  t.equal(
    lives.get('early-typo')!.pids.length,
    2,
    'the start was tried twice: a protocol error while starting is a failure',
  );
});
