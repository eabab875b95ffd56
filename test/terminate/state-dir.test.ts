import t from 'tap';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Supervisor } from '../../src/index.js';
import { exitOf, firstLine, fixture, killAtTeardown, pidAlive, spawnTracked } from '../helpers/index.js';

const linuxOnly = {
  skip: process.platform !== 'linux' && 'orphan recovery checks start times in /proc, which only Linux has',
};

function stateDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test(
  'a supervisor killed with SIGKILL leaves a plain child; the next one with the same stateDir reaps it',
  linuxOnly,
  async (t) => {
    const dir = stateDir(t);
    const parent = spawnTracked(t, process.execPath, [fixture('exits-with-parent.mjs'), 'wait'], {
      ...process.env,
      STATE_DIR: dir,
    });
    const { pid, address } = JSON.parse(await firstLine(parent.stdout!)) as { pid: number; address: string };
    killAtTeardown(t, pid);
    t.teardown(() => rmSync(dirname(address), { recursive: true, force: true }));
    t.equal(readdirSync(dir).length, 1, 'the child was written down');
    parent.kill('SIGKILL');
    await exitOf(parent);
    t.ok(pidAlive(pid), 'a plain child outlives a SIGKILLed parent (nothing could run)');

    const sup = await Supervisor.start({ stateDir: dir });
    t.teardown(() => sup.shutdown());
    t.same(
      sup.reaped,
      [{ id: 'plain', pid, command: process.execPath, termination: 'escalated' }],
      'reported what it reaped',
    );
    t.notOk(pidAlive(pid), 'the orphan is gone before the new supervisor starts anything');
    t.same(readdirSync(dir), [], 'its record is gone');
  },
);

t.test('a record whose pid now belongs to another process is dropped without killing it', linuxOnly, async (t) => {
  const dir = stateDir(t);
  const bystander = spawnTracked(t, process.execPath, ['-e', 'setInterval(() => {}, 1 << 30); console.log("up")']);
  await firstLine(bystander.stdout!);
  // As if a dead supervisor's child had this pid, but started at another time (pid reuse).
  writeFileSync(
    join(dir, 'child-1-2.json'),
    JSON.stringify({
      supervisorPid: 999999,
      supervisorStart: '1',
      id: 'old',
      pid: bystander.pid,
      start: '1',
      command: 'old-tool',
    }),
  );
  writeFileSync(join(dir, 'child-1-3.json'), '{"half a rec');
  const sup = await Supervisor.start({ stateDir: dir });
  t.teardown(() => sup.shutdown());
  t.same(sup.reaped, []);
  t.ok(pidAlive(bystander.pid!), 'the process that reused the pid was not touched');
  t.same(readdirSync(dir), [], 'stale and broken records are removed');
});

t.test('a live supervisor’s children are left alone by another one sharing the stateDir', linuxOnly, async (t) => {
  const dir = stateDir(t);
  const first = await Supervisor.start({ stateDir: dir });
  t.teardown(() => first.shutdown());
  const child = await first.spawn({
    id: 'plain',
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1 << 30)'],
    connect: 'none',
  });
  const second = await Supervisor.start({ stateDir: dir });
  t.teardown(() => second.shutdown());
  t.same(second.reaped, []);
  t.ok(pidAlive(child.pid!));
  await first.shutdown();
  t.same(readdirSync(dir), [], 'records go when their children exit');
});
