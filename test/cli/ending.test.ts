// describeEnding is pure: the states a run can leave a child in, without processes. The common
// endings are shown with real children in run-summary.test.ts.
import t from 'tap';
import type { ChildState } from '../../src/child/state.js';
import { describeEnding, describeStop } from '../../src/cli/ending.js';
import { ProcwireError } from '../../src/protocol/index.js';

const stoppedState = (
  termination: 'clean' | 'escalated' | 'indeterminate',
  exitCode: number | null,
  signal: string | null,
): ChildState => ({ kind: 'stopped', result: { termination, exitCode, signal }, reason: 'stop requested' });
const running: ChildState = { kind: 'running', pid: 42, reason: 'ready' };

t.test('how a stop went', async (t) => {
  t.equal(describeStop({ termination: 'clean', exitCode: 0, signal: null }), 'clean');
  t.equal(describeStop({ termination: 'clean', exitCode: 3, signal: null }), 'clean, exited with code 3');
  t.equal(
    describeStop({ termination: 'escalated', exitCode: null, signal: 'SIGTERM' }),
    'escalated, killed by SIGTERM',
  );
  t.equal(describeStop({ termination: 'escalated', exitCode: 0, signal: null }), 'escalated, exited with code 0');
  t.equal(describeStop({ termination: 'indeterminate', exitCode: null, signal: null }), 'no exit was observed');
});

t.test('a child still running at the shutdown is stopped, with how the stop went', async (t) => {
  t.same(describeEnding(running, undefined, stoppedState('escalated', null, 'SIGKILL')), {
    kind: 'stopped',
    text: 'stopped (escalated, killed by SIGKILL)',
    fails: false,
  });
  t.same(describeEnding({ kind: 'stopping', pid: 42, reason: 'x' }, undefined, stoppedState('clean', 0, null)), {
    kind: 'stopped',
    text: 'stopped (clean)',
    fails: false,
  });
  t.same(describeEnding(running, undefined, { kind: 'running', pid: 42, reason: 'ready' }), {
    kind: 'stopped',
    text: 'stopped: left running',
    fails: false,
  });
});

t.test('a child between processes says so rather than quoting a stale exit as the stop', async (t) => {
  const backoff: ChildState = {
    kind: 'backoff',
    delayMs: 500,
    until: new Date(),
    lastExit: { exitCode: 1, signal: null },
    reason: 'exited with code 1',
  };
  t.same(describeEnding(backoff, undefined, stoppedState('clean', 1, null)), {
    kind: 'stopped',
    text: 'stopped during backoff (its last run exited with code 1)',
    fails: false,
  });
  const queued: ChildState = { kind: 'starting', pid: undefined, reason: 'waiting for a start slot' };
  t.same(describeEnding(queued, undefined, stoppedState('indeterminate', null, null)), {
    kind: 'stopped',
    text: 'stopped before its process started',
    fails: false,
  });
  const spawned: ChildState = { kind: 'starting', pid: 42, reason: 'spawned' };
  t.same(describeEnding(spawned, undefined, stoppedState('escalated', null, 'SIGTERM')), {
    kind: 'stopped',
    text: 'stopped while starting (escalated, killed by SIGTERM)',
    fails: false,
  });
});

t.test(
  'a child that ended by itself is judged by how it ended, not by the shutdown; only a 0 exit is ok',
  async (t) => {
    const after = stoppedState('clean', 3, null);
    t.same(describeEnding({ kind: 'exited', exitCode: 0, signal: null, reason: 'x' }, undefined, after), {
      kind: 'exited',
      text: 'exited with code 0',
      fails: false,
    });
    t.same(describeEnding({ kind: 'exited', exitCode: 3, signal: null, reason: 'x' }, undefined, after), {
      kind: 'exited',
      text: 'exited with code 3',
      fails: true,
    });
    t.same(describeEnding({ kind: 'exited', exitCode: null, signal: 'SIGSEGV', reason: 'x' }, undefined, after), {
      kind: 'exited',
      text: 'killed by SIGSEGV',
      fails: true,
    });
    t.same(describeEnding(stoppedState('clean', 0, null), undefined, stoppedState('clean', 0, null)), {
      kind: 'stopped',
      text: 'stopped (clean)',
      fails: false,
    });
  },
);

t.test('a failure says why, in a few words, with what the child controls escaped', async (t) => {
  const cause = new ProcwireError('READY_TIMEOUT', 'child "a" was not ready within 5000 ms\x1b[2J');
  const gaveUp = new ProcwireError('GAVE_UP', 'child "a" failed … Fix the cause and call child.start()', {
    cause,
    exitCode: null,
    signal: 'SIGTERM',
  });
  const failedState: ChildState = { kind: 'failed', exitCode: null, signal: 'SIGTERM', error: gaveUp, reason: 'x' };
  t.same(describeEnding(failedState, undefined, stoppedState('clean', 0, null)), {
    kind: 'failed',
    text: 'failed (restart limit reached; last failure: child "a" was not ready within 5000 ms\\x1b[2J)',
    fails: true,
  });
  const plainGaveUp = new ProcwireError('GAVE_UP', 'x', { exitCode: 1, signal: null });
  t.same(describeEnding({ ...failedState, error: plainGaveUp }, undefined, undefined), {
    kind: 'failed',
    text: 'failed (restart limit reached; last failure: exited with code 1)',
    fails: true,
  });
  const spawnFailed = new ProcwireError('SPAWN_FAILED', 'child "b": could not spawn "x\x07": ENOENT');
  t.same(describeEnding({ ...failedState, error: spawnFailed }, undefined, undefined), {
    kind: 'failed',
    text: 'failed (child "b": could not spawn "x\\x07": ENOENT)',
    fails: true,
  });
});

t.test('a start the supervisor refused is a failure, whatever the state says; no handle is not started', async (t) => {
  // Exited with an error: a start that never got ready, here one through the control API (no startError).
  const late = new ProcwireError('READY_TIMEOUT', 'child "a" was not ready within 0.5 s\x1b[2J');
  t.same(
    describeEnding(
      { kind: 'exited', exitCode: null, signal: 'SIGTERM', error: late, reason: 'x' },
      undefined,
      undefined,
    ),
    { kind: 'failed', text: 'failed (did not start: child "a" was not ready within 0.5 s\\x1b[2J)', fails: true },
  );
  const refused = new ProcwireError('EXITED_BEFORE_READY', 'child "c" exited with code 2 before it was ready');
  t.same(describeEnding({ kind: 'exited', exitCode: 2, signal: null, reason: 'x' }, refused, undefined), {
    kind: 'failed',
    text: 'failed (did not start: child "c" exited with code 2 before it was ready)',
    fails: true,
  });
  t.same(describeEnding(undefined, undefined, undefined), {
    kind: 'not started',
    text: 'not started (the run ended first)',
    fails: false,
  });
});
