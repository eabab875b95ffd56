// 200 SDK children at once under one supervisor: how long until all are ready, what each
// costs the parent in memory, and how much the parent's event loop stalls while 50 of them
// are SIGKILLed and restarted together. Floors, measured in the same run: 200 plain
// child_process.fork children saying ready over Node's own IPC channel (the least a parent
// can hold a connection to), and the event-loop delay over an idle period as long as the
// restart window. The fork floor runs in a fresh process of this script (`scale.mjs floor`):
// measured in this one after the supervisor, it would reuse pages the supervisor freed and
// its memory per child would read as nearly zero.
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { now, report, root } from './common.mjs';

const COUNT = Number(process.env.BENCH_CHILDREN ?? 200);
const KILLED = Math.min(50, COUNT);
const sdkChild = `${root}/test/fixtures/only-ready.cjs`;
const floorChild = `${root}/scripts/bench/children/says-ready-over-fork-ipc.cjs`;
const load = loadavg()[0];

// Memory after full collections, repeated until V8 stops resizing the heap, so neither
// garbage from spawning nor a heap that shrinks meanwhile reads as per-child cost. Works
// without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const gc = globalThis.gc ?? runInNewContext('gc');
async function settledMemory() {
  let heapTotal = -1;
  for (let i = 0; i < 10 && heapTotal !== process.memoryUsage().heapTotal; i++) {
    heapTotal = process.memoryUsage().heapTotal;
    await sleep(50);
    gc();
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}
/** KiB per child of each figure between two settledMemory() readings. */
const perChild = (before, after) => ({
  rss: (after.rss - before.rss) / COUNT / 1024,
  heap: (after.heapUsed - before.heapUsed) / COUNT / 1024,
});

/** p99 and max of the event loop's delay, in ms, while `work` runs (1 ms resolution). */
async function loopDelay(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = now();
  await work();
  const took = now() - started;
  histogram.disable();
  return { took, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

/** The floor: COUNT plain fork() children holding an IPC channel each; all ready, and RSS per child. */
async function forkFloor() {
  const before = await settledMemory();
  const started = now();
  const plain = await Promise.all(
    Array.from({ length: COUNT }, async () => {
      const proc = fork(floorChild, { stdio: 'ignore' });
      await once(proc, 'message');
      return proc;
    }),
  );
  const ready = now() - started;
  const memory = perChild(before, await settledMemory());
  await Promise.all(plain.map((proc) => (proc.disconnect(), once(proc, 'exit'))));
  return { ready, memory };
}
if (process.argv[2] === 'floor') {
  process.stdout.write(JSON.stringify(await forkFloor()));
  process.exit(0);
}

// --- procwire: 200 children under one supervisor ---
// Imported here, not at the top, so the floor's process stays as lean as a plain parent.
const { Supervisor } = await import('../../dist/src/index.js');
const sup = await Supervisor.start();
const spec = (id) => ({
  id,
  command: process.execPath,
  args: [sdkChild],
  stdio: 'ignore',
  restart: 'always',
  maxRestarts: 1000,
  backoff: { initial: 0, max: 0, jitter: 0 },
  // 200 node start-ups queue for 2 cores; the default 30 s is about one child, not a crowd.
  readyTimeout: '120s',
});
const memoryBefore = await settledMemory();
let started = now();
const children = await Promise.all(Array.from({ length: COUNT }, (_, i) => sup.spawn(spec(`c${i}`))));
const allReady = now() - started;
const pids = new Set(children.map((child) => child.pid));
const memory = perChild(memoryBefore, await settledMemory());

// Every victim is killed in the same turn, so the supervisor sees a burst of exits at once.
const victims = children.slice(0, KILLED);
const restart = await loopDelay(async () => {
  const readyAgain = Promise.all(victims.map((child) => once(child, 'ready')));
  for (const child of victims) process.kill(child.pid, 'SIGKILL');
  await readyAgain;
});
for (const child of victims) pids.add(child.pid);
const idle = await loopDelay(() => sleep(restart.took));

started = now();
await sup.shutdown();
const shutdownMs = now() - started;
// A pid, or the process group it led, that still answers signal 0 is a leaked child.
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};
const leaked = [...pids].filter((pid) => alive(pid) || alive(-pid));

const floor = JSON.parse(
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), 'floor'], { encoding: 'utf8' }),
);

const ms = (value) => +value.toFixed(1);
// RSS moves in pages and with V8's heap sizing, so a floor of about 1 KiB per child is noise;
// a ratio to it would mean nothing.
const ratio = (value, base) => (base > 1 ? +(value / base).toFixed(2) : null);
const rssMet = memory.rss < 150;
const delayMet = restart.p99 < 20;
report(
  'scale',
  [
    { name: `${COUNT} fork() children, all ready (floor)`, value: ms(floor.ready), unit: 'ms', ratio: 1 },
    {
      name: `${COUNT} procwire SDK children, all ready`,
      value: ms(allReady),
      unit: 'ms',
      ratio: ratio(allReady, floor.ready),
    },
    { name: 'parent RSS per fork() child (floor)', value: ms(floor.memory.rss), unit: 'KiB', ratio: 1 },
    {
      name: 'parent RSS per procwire child',
      value: ms(memory.rss),
      unit: 'KiB',
      ratio: ratio(memory.rss, floor.memory.rss),
    },
    { name: 'parent JS heap per fork() child (floor)', value: ms(floor.memory.heap), unit: 'KiB', ratio: 1 },
    {
      name: 'parent JS heap per procwire child',
      value: ms(memory.heap),
      unit: 'KiB',
      ratio: ratio(memory.heap, floor.memory.heap),
    },
    {
      name: `event-loop delay p99, idle ${Math.round(restart.took)} ms (floor)`,
      value: ms(idle.p99),
      unit: 'ms',
      ratio: 1,
    },
    {
      name: `event-loop delay p99, ${KILLED} SIGKILLed -> ready again`,
      value: ms(restart.p99),
      unit: 'ms',
      ratio: ratio(restart.p99, idle.p99),
    },
    { name: `event-loop delay max, idle (floor)`, value: ms(idle.max), unit: 'ms', ratio: 1 },
    {
      name: `event-loop delay max, ${KILLED} SIGKILLed -> ready again`,
      value: ms(restart.max),
      unit: 'ms',
      ratio: ratio(restart.max, idle.max),
    },
  ],
  {
    children: COUNT,
    killed: KILLED,
    restartWindowMs: ms(restart.took),
    shutdownMs: ms(shutdownMs),
    pidsChecked: pids.size,
    leakedPids: leaked,
    // Other work on the machine shows up in every figure here; this says how much there was.
    loadAverage: { atStart: load, atEnd: loadavg()[0] },
    targets: {
      'parent RSS per child, KiB': { below: 150, measured: ms(memory.rss), met: rssMet },
      'event-loop delay p99 during restarts, ms': { below: 20, measured: ms(restart.p99), met: delayMet },
      'no child left after shutdown': { met: leaked.length === 0 },
    },
  },
);
console.log(`target: parent RSS per child < 150 KiB: ${ms(memory.rss)} KiB, ${rssMet ? 'met' : 'MISSED'}`);
console.log(
  `target: event-loop delay p99 < 20 ms during ${KILLED} restarts: ${ms(restart.p99)} ms, ${delayMet ? 'met' : 'MISSED'}`,
);
console.log(
  `after shutdown (${ms(shutdownMs)} ms): ${leaked.length} of ${pids.size} child pids left alive${leaked.length ? `: ${leaked.join(' ')}` : ''}`,
);
if (leaked.length > 0) process.exitCode = 1;
