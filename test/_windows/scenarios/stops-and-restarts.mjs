// Stops that do not depend on one tool: a child that ignores shutdown (and its worker) is
// killed within its stop phases though Wine's taskkill has no /T; with no taskkill and no
// process listing the child still dies and the result says its descendants may survive;
// shutdown stays bounded. Then exact restart counts and give-up, a parent that dies taking
// its SDK child with it, and a parent that exits without shutdown ending a plain child.
import { spawn } from 'node:child_process';
import { Supervisor } from '../../../dist/src/index.js';
import { killTreesWindowsNow, killTreeWindows, windowsTools } from '../../../dist/src/terminate/kill-tree-windows.js';
import { alive, fixture, scenario, until } from './record.mjs';

const stubborn = (id) => ({
  id,
  command: process.execPath,
  args: [fixture('ignores-shutdown-with-a-detached-worker.cjs')],
  stdio: 'ignore',
  stopTimeout: '1s',
  restart: 'never',
});

/** Spawns the stubborn child and resolves with it and its worker's pid, from its log line. */
async function spawnStubborn(sup, id) {
  const logged = new Promise((resolve) =>
    sup.once('child', (child) => child.once('log', (entry) => resolve(JSON.parse(entry.message).worker))),
  );
  const child = await sup.spawn(stubborn(id));
  return { child, pid: child.pid, worker: await logged };
}

/** A detached process (outside this one's Job Object) with a detached worker of its own. */
async function spawnTree() {
  const leader = spawn(process.execPath, [fixture('spawns-a-detached-worker.cjs')], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  const worker = Number(await new Promise((resolve) => leader.stdout.once('data', resolve)));
  return { pid: leader.pid, worker };
}

await scenario(async (record) => {
  const sup = await Supervisor.start();

  const a = await spawnStubborn(sup, 'stubborn');
  let start = Date.now();
  const result = await a.child.stop();
  const stopMs = Date.now() - start;
  record('stubborn', { result, stopMs, childAlive: alive(a.pid), workerAlive: alive(a.worker) });

  // Without the system's tools (SystemRoot points nowhere): taskkill and wmic are missing.
  const b = await spawnStubborn(sup, 'toolless');
  const systemRoot = process.env.SystemRoot;
  process.env.SystemRoot = 'C:\\no-such-windows';
  start = Date.now();
  const toolless = await b.child.stop();
  process.env.SystemRoot = systemRoot;
  record('toolless', {
    result: toolless,
    stopMs: Date.now() - start,
    childAlive: alive(b.pid),
    workerAlive: alive(b.worker),
  });
  if (alive(b.worker)) process.kill(b.worker);

  // The tree kill on its own: taskkill missing but the process table listed.
  const c = await spawnStubborn(sup, 'listed');
  const reach = await killTreeWindows(c.pid, { tools: { ...windowsTools(), taskkill: 'C:\\no-such\\taskkill.exe' } });
  await until(() => !alive(c.pid) && !alive(c.worker), 10_000, 'the listed tree to end');
  record('listed', { reach });
  await c.child.stop();

  // What the exit hook runs: two trees, outside this process's Job Object, in one go.
  const trees = await Promise.all([0, 1].map(() => spawnTree()));
  const hookReach = killTreesWindowsNow(trees.map((tree) => tree.pid));
  const pids = trees.flatMap((tree) => [tree.pid, tree.worker]);
  await until(() => pids.every((pid) => !alive(pid)), 10_000, 'both trees to end');
  record('exitHookKill', { reach: hookReach, ended: pids.length });

  // A stubborn child still running when shutdown is called: shutdown stops it and ends.
  const d = await spawnStubborn(sup, 'at-shutdown');
  const gaveUp = new Promise((resolve) => sup.once('child', (child) => child.once('gave-up', resolve)));
  const crashing = await sup.spawn({
    id: 'crashing',
    command: process.execPath,
    args: [fixture('exits-after-ready.cjs'), '3'],
    stdio: 'ignore',
    restart: 'always',
    maxRestarts: 2,
    restartWindow: '60s',
    backoff: { initial: '10ms', max: '50ms', factor: 2, jitter: 0 },
  });
  let readies = 1;
  crashing.on('ready', () => readies++);
  await gaveUp;
  record('restarts', { restarts: crashing.restarts, readies, state: crashing.state.kind });

  start = Date.now();
  await sup.shutdown();
  record('shutdown', { ms: Date.now() - start, childAlive: alive(d.pid), workerAlive: alive(d.worker) });

  // A parent killed outright (TerminateProcess: no exit hook runs): its pipe closes, and the
  // SDK child notices and exits.
  const parent = spawn(process.execPath, [fixture('parent-of-one.mjs'), 'ready-and-echo.cjs'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = await new Promise((resolve, reject) => {
    parent.stdout.once('data', (chunk) => resolve(String(chunk)));
    parent.once('exit', (code) => reject(new Error(`parent-of-one exited with ${code} before printing`)));
  });
  const orphan = JSON.parse(line).pid;
  process.kill(parent.pid);
  const goneMs = await until(() => !alive(orphan), 15_000, 'the SDK child of a killed parent to exit');
  record('parentKilled', { orphanWasAlive: typeof orphan === 'number', goneMs });

  // A parent that exits without shutdown(): its exit hook ends a child that has no SDK.
  const exiting = spawn(process.execPath, [fixture('exits-leaving-a-plain-child.mjs')], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let printed = '';
  exiting.stdout.on('data', (chunk) => {
    printed += chunk;
  });
  const code = await new Promise((resolve) => exiting.once('close', resolve));
  const plain = JSON.parse(printed).pid;
  record('parentExited', { code, plainAliveAfter: alive(plain) });
  if (alive(plain)) process.kill(plain);
});
