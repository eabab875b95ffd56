import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildSpec } from '../../src/index.js';
import { nextEvent, nodeSpec, killAtTeardown, pidAlive, startSupervisor } from '../helpers/index.js';

// A stop sends `stopSignal` to the whole group in its second phase; the default is SIGTERM.
// The fixture ignores the shutdown request, so the second phase always comes.
for (const stopSignal of [undefined, 'SIGINT', 'SIGUSR2'] as const) {
  const expected = stopSignal ?? 'SIGTERM';
  t.test(
    `stopSignal ${stopSignal ?? '(default)'}: ${expected} reaches the leader and its grandchild in the second phase`,
    async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'procwire-stop-signal-'));
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
      const marker = join(dir, 'signals');
      const sup = await startSupervisor(t);
      let grandchild!: Promise<number>;
      sup.once('child', (child) => {
        grandchild = nextEvent<[{ message: string }]>(child, 'log', 'the fixture to log its grandchild’s pid').then(
          ([entry]) => (JSON.parse(entry.message) as { grandchild: number }).grandchild,
        );
      });
      // Long enough that a loaded machine still lets the child record the signal and exit
      // before the SIGKILL phase (300 ms was not, under CI load).
      const extra: Partial<ChildSpec> = { stopTimeout: 1000, env: { MARKER_FILE: marker }, restart: 'never' };
      const child = await sup.spawn(
        nodeSpec('stubborn', 'records-stop-signal.cjs', stopSignal ? { ...extra, stopSignal } : extra),
      );
      const grandchildPid = await grandchild;
      killAtTeardown(t, grandchildPid);

      const result = await child.stop();
      t.same(
        result,
        { exitCode: 0, signal: null, termination: 'escalated' },
        'it ended on the signal, after the shutdown phase timed out',
      );
      const lines = readFileSync(marker, 'utf8').trim().split('\n').sort();
      t.same(
        lines,
        [`grandchild ${expected}`, `leader ${expected}`],
        `only ${expected} arrived, at the leader and at its grandchild`,
      );
      t.notOk(pidAlive(grandchildPid), 'the grandchild is gone');
    },
  );
}
