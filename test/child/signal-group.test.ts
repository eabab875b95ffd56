import t from 'tap';
import type { LogEntry } from '../../src/index.js';
import { nextEvent, nodeSpec, killAtTeardown, startSupervisor } from '../helpers/index.js';

t.test('child.signal() reaches the whole process group: the child and its grandchild both get it', async (t) => {
  const sup = await startSupervisor(t);
  let grandchildPid!: Promise<number>;
  sup.once('child', (child) => {
    grandchildPid = nextEvent<[LogEntry]>(child, 'log', 'the child to log its grandchild pid').then(
      ([entry]) => (JSON.parse(entry.message) as { grandchild: number }).grandchild,
    );
  });
  const child = await sup.spawn(nodeSpec('reloader', 'records-signal-with-grandchild.cjs', { stopTimeout: 500 }));
  const grandchild = await grandchildPid;
  killAtTeardown(t, grandchild);
  t.not(grandchild, child.pid, 'two processes');

  const heard = (who: string, pid: number) =>
    nextEvent(child, 'stdout', `the ${who} (pid ${pid}) to report SIGUSR2`, {
      filter: (line) => line === `${who} ${pid} got SIGUSR2`,
      ms: 5000,
    });
  const childHeard = heard('child', child.pid!);
  const grandchildHeard = heard('grandchild', grandchild);
  await child.signal('SIGUSR2');
  await childHeard;
  t.pass('the child got SIGUSR2');
  await grandchildHeard;
  t.pass('the grandchild got SIGUSR2 too');
  t.equal(child.state.kind, 'running', 'a handled signal does not end it');
});
