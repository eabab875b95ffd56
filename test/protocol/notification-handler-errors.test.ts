import t from 'tap';
import type { LogEntry } from '../../src/index.js';
import { nextEvent, nodeSpec, startSupervisor, within } from '../helpers/index.js';

// A notification has no caller to answer: what its handler throws must neither vanish nor,
// as a rejected promise, end the process (a parent's would take every child with it).

t.test("a parent's notification handler that throws or rejects is logged, and the parent lives on", async (t) => {
  const sup = await startSupervisor(t);
  const heard: unknown[] = [];
  const errors: LogEntry[] = [];
  const twoErrors = new Promise<void>((resolve) =>
    sup.on('child', (child) => {
      child.onNotification('progress', async () => {
        throw new Error('cannot render progress');
      });
      child.onNotification('progress', () => {
        throw new Error('sync render failure');
      });
      child.onNotification('progress', (params) => heard.push(params));
      child.on('log', (entry) => {
        if (entry.level === 'error') errors.push(entry);
        if (errors.length === 2) resolve();
      });
    }),
  );
  const child = await sup.spawn(nodeSpec('notifier', 'throws-in-notification-handlers.cjs'));
  await within(twoErrors, 'the two handler failures to be logged');
  t.same(heard, [{ pct: 50 }], 'the handler after the failing ones still ran');
  t.match(errors.map((entry) => entry.message).sort(), [
    /^procwire: child "notifier": the parent's handler of notification "progress" failed: Error: cannot render progress\n\s+at /,
    /^procwire: child "notifier": the parent's handler of notification "progress" failed: Error: sync render failure\n\s+at /,
  ]);
  t.equal(await child.sendRequest('alive'), 'yes', 'the child is served as before');
});

t.test("a child's notification handler that throws or rejects is said on its stderr, and it lives on", async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('notified', 'throws-in-notification-handlers.cjs'));
  const said = (method: string, what: string) =>
    nextEvent(child, 'stderr', `the child to say its "${method}" handler failed`, {
      filter: (line: string) =>
        line.startsWith(`procwire/child: the handler of notification "${method}" failed: Error: ${what}`),
    });
  const sync = said('boom-sync', 'sync boom');
  await child.sendNotification('boom-sync');
  await sync;
  const async_ = said('boom-async', 'async boom');
  await child.sendNotification('boom-async');
  await async_;
  t.equal(await child.sendRequest('alive'), 'yes', 'the child still runs and answers');
  t.equal(child.state.kind, 'running');
});
