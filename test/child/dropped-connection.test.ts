import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExitInfo } from '../../src/index.js';
import {
  nextEvent,
  nodeSpec,
  killAtTeardown,
  pidAlive,
  recordLives,
  startSupervisor,
  until,
} from '../helpers/index.js';

const STOP_TIMEOUT = 300;
// Timers may fire a millisecond or two early by the wall clock.
const SLACK = 20;

/** Spawns the fixture, has it drop its connection, and returns what followed up to its exit. */
async function dropAndWatch(t: Test, restart: 'never' | 'on-failure') {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-dropped-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, 'signals');
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const child = await sup.spawn(
    nodeSpec('keeps-running', 'drops-connection-keeps-running.cjs', {
      stopTimeout: STOP_TIMEOUT,
      restart,
      backoff: { initial: 10 },
      env: { MARKER_FILE: marker },
    }),
  );
  const pid = child.pid!;
  killAtTeardown(t, pid);
  const exited = nextEvent<[ExitInfo]>(child, 'exit', 'the child that dropped its connection to be ended');
  t.equal(await child.sendRequest('drop'), 'dropping');
  const droppedAt = Date.now();
  await until(() => !child.connected, 5000, 'the parent to see the connection closed');
  t.ok(pidAlive(pid), 'the process keeps running without its connection');
  const [exit] = await exited;
  const exitAt = Date.now();
  const signals = readFileSync(marker, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  return { child, pid, exit, droppedAt, exitAt, signals, life: lives.get('keeps-running')! };
}

function expectEscalation(t: Test, seen: Awaited<ReturnType<typeof dropAndWatch>>): void {
  t.same(seen.exit, { exitCode: null, signal: 'SIGKILL' }, 'SIGKILL ended it');
  t.same(
    seen.signals.map(([name]) => name),
    ['SIGTERM'],
    'before that it got the stop signal, once',
  );
  const termAt = Number(seen.signals[0]?.[1]);
  t.ok(
    termAt - seen.droppedAt >= STOP_TIMEOUT - SLACK,
    `the stop signal came a stopTimeout after the drop (${termAt - seen.droppedAt} ms)`,
  );
  t.ok(
    seen.exitAt - termAt >= STOP_TIMEOUT - SLACK,
    `SIGKILL came a stopTimeout after the stop signal (${seen.exitAt - termAt} ms)`,
  );
}

t.test(
  "a running child that drops its connection but keeps running gets the stop signal, then SIGKILL, and ends exited under restart: 'never'",
  async (t) => {
    const seen = await dropAndWatch(t, 'never');
    expectEscalation(t, seen);
    await seen.life.reaches('exited');
    t.match(seen.child.state, { kind: 'exited', signal: 'SIGKILL' });
    t.same(seen.life.restarts, [], 'not restarted');
    t.same(seen.life.pids, [seen.pid]);
  },
);

t.test("…and under restart: 'on-failure' its policy restarts it", async (t) => {
  const seen = await dropAndWatch(t, 'on-failure');
  // The new process cannot be ready before this listener exists: it is spawned after a backoff.
  const readyAgain = nextEvent(seen.child, 'ready', 'the restarted child to be ready');
  expectEscalation(t, seen);
  await readyAgain;
  t.match(
    seen.life.restarts,
    [{ restarts: 1, reason: /killed by SIGKILL/ }],
    'a death by SIGKILL is a failure: one restart',
  );
  t.equal(seen.life.pids.length, 2, 'a new process');
  t.not(seen.child.pid, seen.pid);
  t.ok(seen.child.connected, 'connected again');
});
