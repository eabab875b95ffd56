import t from 'tap';
import { spawn } from 'node:child_process';
import { escalate } from '../../src/terminate/escalate.js';
import { exitOf, firstLine, killAtTeardown, pidAlive } from '../helpers/index.js';

// The SIGKILL to a group after its leader exited. Once the leader is reaped its pid is free;
// if the group is empty too, that number may already name a new process that leads a group
// of its own, and kill(-pid) would hit that group instead.

const linuxOnly = {
  skip: process.platform !== 'linux' && 'membership of a group is read from /proc, which only Linux has',
};

const exitedAlready = Promise.resolve({ exitCode: 0, signal: null });

t.test(
  'after the leader exited, a process now at its pid that leads a group of its own is not signalled',
  linuxOnly,
  async (t) => {
    // Stands for the process that got the exited leader's pid: its own session and group leader.
    const newcomer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
      detached: true,
      stdio: 'ignore',
    });
    t.teardown(() => newcomer.kill('SIGKILL'));
    const pid = newcomer.pid!;
    const result = await escalate(
      { pid, exited: exitedAlready },
      { first: 'wait', graceMs: 100, stopSignal: 'SIGTERM' },
    );
    t.same(result, { exitCode: 0, signal: null, termination: 'clean' });
    t.ok(pidAlive(pid), 'the group led by the new process at that pid was not signalled');
  },
);

t.test('after the leader exited, the members left in its group are killed', linuxOnly, async (t) => {
  // A leader that starts a worker in its group, prints the worker's pid and exits.
  const leader = spawn(
    process.execPath,
    [
      '-e',
      'const w = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" }); w.unref(); console.log(w.pid)',
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const worker = Number(await firstLine(leader.stdout!));
  killAtTeardown(t, worker);
  const exit = await exitOf(leader);
  t.same(exit, { code: 0, signal: null }, 'the leader exited and was reaped');
  t.ok(pidAlive(worker), 'its worker still runs in the group');
  const result = await escalate(
    { pid: leader.pid!, exited: exitedAlready },
    { first: 'wait', graceMs: 100, stopSignal: 'SIGTERM' },
  );
  t.equal(result.termination, 'clean');
  t.notOk(pidAlive(worker), 'the worker was killed with the group, and escalate waited for it');
});
