import t from 'tap';
import { isProcwireError } from '../../src/index.js';
import { nodeSpec, pidAlive, recordLives, startSupervisor, nextEvent } from '../helpers/index.js';

const fast = { backoff: { initial: 10, max: 10, jitter: 0 } };

t.test("restart: 'on-failure' restarts a crash but not a clean exit", async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  await sup.spawn(nodeSpec('crashes', 'exits-after-ready.cjs', { args: ['3'], maxRestarts: 2, ...fast }));
  await sup.spawn(nodeSpec('finishes', 'exits-after-ready.cjs', { args: ['0'], maxRestarts: 2, ...fast }));
  await lives.get('crashes')!.reaches('failed');
  await lives.get('finishes')!.reaches('exited');
  t.equal(lives.get('crashes')!.pids.length, 3, 'a crash is restarted up to the limit');
  t.equal(lives.get('finishes')!.pids.length, 1, 'a clean exit is not restarted');
  t.match(sup.get('finishes')!.state, { kind: 'exited', exitCode: 0, signal: null });
});

t.test("restart: 'always' restarts a clean exit too; 'never' restarts nothing", async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  await sup.spawn(
    nodeSpec('always', 'exits-after-ready.cjs', { args: ['0'], restart: 'always', maxRestarts: 2, ...fast }),
  );
  await sup.spawn(nodeSpec('never', 'exits-after-ready.cjs', { args: ['3'], restart: 'never', ...fast }));
  await lives.get('always')!.reaches('failed');
  await lives.get('never')!.reaches('exited');
  t.equal(lives.get('always')!.pids.length, 3);
  t.equal(lives.get('never')!.pids.length, 1);
  t.match(sup.get('never')!.state, { kind: 'exited', exitCode: 3 });
});

for (const maxRestarts of [0, 1, 3]) {
  t.test(`maxRestarts: ${maxRestarts} allows exactly ${maxRestarts} restart(s), then gives up`, async (t) => {
    const sup = await startSupervisor(t);
    const lives = recordLives(sup);
    const child = await sup.spawn(nodeSpec('flaky', 'exits-after-ready.cjs', { args: ['1'], maxRestarts, ...fast }));
    const life = lives.get('flaky')!;
    await life.reaches('failed');
    t.equal(life.pids.length, maxRestarts + 1, `${maxRestarts + 1} process(es) in all`);
    t.equal(new Set(life.pids).size, life.pids.length, 'each run had its own pid');
    t.equal(child.restarts, maxRestarts);
    t.same(
      life.restarts.map((r) => r.restarts),
      Array.from({ length: maxRestarts }, (_, i) => i + 1),
    );
    t.equal(life.gaveUp.length, 1, 'gave-up fires once');
    t.equal(life.gaveUp[0]?.code, 'GAVE_UP');
    t.match(
      life.gaveUp[0]?.message,
      maxRestarts === 0 ? /maxRestarts is 0/ : new RegExp(`${maxRestarts} restarts? within 60 s used up`),
    );
    t.match(life.gaveUp[0]?.message, /last failure: exited with code 1\. /);
    t.match(child.state, { kind: 'failed', exitCode: 1, error: { code: 'GAVE_UP' } });
    for (const pid of life.pids) t.notOk(pidAlive(pid));
  });
}

t.test('backoff grows by the factor and is capped, as recorded from real restarts', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  await sup.spawn(
    nodeSpec('flaky', 'exits-after-ready.cjs', {
      args: ['1'],
      maxRestarts: 5,
      backoff: { initial: 40, factor: 2, max: 200, jitter: 0 },
    }),
  );
  const life = lives.get('flaky')!;
  await life.reaches('failed');
  t.same(
    life.restarts.map((r) => r.delayMs),
    [40, 80, 160, 200, 200],
    'delays double and stop at max',
  );
  // Each restart's spawn comes no sooner than its delay after the exit that caused it.
  const starts = life.states.filter((s) => s.kind === 'starting' && s.reason === 'restarting after backoff');
  t.equal(starts.length, 5);
  life.restarts.forEach((restart, i) => {
    const exit = life.exits[i]!;
    const start = starts[i]!;
    t.ok(
      start.at - exit.at >= restart.delayMs - 5,
      `restart ${i + 1}: waited ${start.at - exit.at} ms for a ${restart.delayMs} ms backoff`,
    );
    t.ok(start.at - exit.at < restart.delayMs + 2000, `restart ${i + 1}: not absurdly late`);
  });
});

t.test('jitter spreads the delay within its bounds', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  await sup.spawn(
    nodeSpec('flaky', 'exits-after-ready.cjs', {
      args: ['1'],
      maxRestarts: 4,
      backoff: { initial: 100, factor: 1, max: 100, jitter: 0.5 },
    }),
  );
  await lives.get('flaky')!.reaches('failed');
  const delays = lives.get('flaky')!.restarts.map((r) => r.delayMs);
  t.equal(delays.length, 4);
  for (const delay of delays)
    t.ok(delay >= 50 && delay <= 100, `${delay} ms is within 100 ms -50%/+0% (capped at max)`);
});

t.test(
  'a start that keeps failing before ready is retried, then spawn rejects with GAVE_UP and the cause',
  async (t) => {
    const sup = await startSupervisor(t);
    const lives = recordLives(sup);
    const error = await sup
      .spawn(nodeSpec('broken', 'exits-before-hello.cjs', { maxRestarts: 2, ...fast }))
      .catch((e: unknown) => e);
    t.ok(isProcwireError(error, 'GAVE_UP'), String(error));
    if (!isProcwireError(error)) return;
    t.ok(isProcwireError(error.cause, 'EXITED_BEFORE_READY'), 'cause is the last start failure');
    t.equal(error.exitCode, 3);
    t.same(error.stderrTail, ['loading config', 'fatal: config file not found']);
    t.match(error.message, /2 restarts within 60 s used up.*exited with code 3 before it was ready/s);
    t.equal(lives.get('broken')!.pids.length, 3);
    t.equal(sup.get('broken'), undefined, 'a child that never got ready is not kept');
  },
);

t.test('restarts are counted in a sliding window: old ones stop counting', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  // Each run lives at least the backoff (120 ms); a 200 ms window holds only one restart
  // at a time, so a limit of 1 is never reached by a child that crashes that slowly.
  await sup.spawn(
    nodeSpec('steady-crasher', 'exits-after-ready.cjs', {
      args: ['1'],
      maxRestarts: 1,
      restartWindow: 200,
      backoff: { initial: 250, max: 250, jitter: 0 },
    }),
  );
  const life = lives.get('steady-crasher')!;
  await nextEvent(sup.get('steady-crasher')!, 'restart', 'the fourth restart', {
    filter: () => life.restarts.length >= 4,
  });
  t.equal(life.gaveUp.length, 0, 'four restarts, one per window, never hit the limit of one');
  await sup.get('steady-crasher')!.stop();
});
