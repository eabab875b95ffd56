// judge is pure: what `procwire wait --for cycle-clean` says, from a child's view, without processes.
// The waits themselves run against a real procwire run in control-verbs.test.ts.
import t from 'tap';
import type { ChildView } from '../../src/control/index.js';
import { judge } from '../../src/cli/wait-condition.js';
import { pendingView } from '../../src/control/child-view.js';

const watcher = (cycle: ChildView['cycle']): ChildView => ({
  ...pendingView('tsc'),
  state: 'running',
  reason: 'ready',
  pid: 42,
  cycle,
});
const end = (errors: number, warnings: number, files: number): ChildView['cycle'] => ({
  phase: 'end',
  at: '2024-01-01T00:00:00.000Z',
  errors,
  warnings,
  files,
  durationMs: 5,
});

t.test('the counts are spelled in the singular for one, the plural otherwise', async (t) => {
  t.same(judge('cycle-clean', watcher(end(0, 1, 1))), {
    kind: 'holds',
    text: 'tsc ended a watch cycle clean (1 warning, 1 file, 5 ms)',
  });
  t.same(judge('cycle-clean', watcher(end(0, 0, 2))), {
    kind: 'holds',
    text: 'tsc ended a watch cycle clean (0 warnings, 2 files, 5 ms)',
  });
  t.same(judge('cycle-clean', watcher(end(1, 0, 1))), {
    kind: 'waiting',
    text: 'tsc is running: ready; its last cycle ended with 1 error',
  });
  t.same(judge('cycle-clean', watcher(end(3, 0, 1))).text, 'tsc is running: ready; its last cycle ended with 3 errors');
});

t.test('an ended child fails the wait, saying how it ended once', async (t) => {
  const ended = { ...watcher(null), state: 'exited' as const, reason: 'exited with code 1' };
  t.same(judge('cycle-clean', ended), {
    kind: 'fails',
    text: 'tsc ended and will not restart by itself (exited): exited with code 1',
  });
  t.same(judge('cycle-clean', { ...ended, cycle: undefined }), {
    kind: 'unsupported',
    text: 'tsc has no watch cycles: its spec has no background problem matcher',
  });
});
