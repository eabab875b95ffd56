// What `procwire ps` calls a child's state, from the control API's view: pure, no processes.
// The same words as procwire run's table and summary (stateWord in src/cli/roster.ts).
import t from 'tap';
import type { ChildView } from '../../src/control/index.js';
import { pendingView } from '../../src/control/child-view.js';
import { dependencyWait, viewStateWord } from '../../src/cli/roster.js';

const view = (state: ChildView['state'], error?: ChildView['error']): ChildView => ({
  ...pendingView('tsc'),
  state,
  ...(error === undefined ? {} : { error }),
});

t.test("a start that never got ready under restart 'never' reads 'failed'; other states as they are", async (t) => {
  const timedOut = { code: 'READY_TIMEOUT', message: 'child "tsc" was not ready within 0.3 s' } as const;
  t.equal(viewStateWord(view('exited', timedOut)), 'failed', 'exited with an error: a failed start');
  t.equal(viewStateWord(view('exited')), 'exited', 'an exit after ready');
  t.equal(viewStateWord(view('running')), 'running');
  t.equal(viewStateWord(view('pending')), 'pending');
});

t.test('ps shows what a child waits for where its ports will be, as the live table does', async (t) => {
  t.equal(dependencyWait('starting', 'waiting: tsc cycle-clean'), 'waiting: tsc cycle-clean');
  t.equal(dependencyWait('starting', 'spawned'), undefined, 'a start under way waits for nothing');
  t.equal(dependencyWait('running', 'waiting: tsc cycle-clean'), undefined);
});
