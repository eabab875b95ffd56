// Ports from the OS and start order, for children that know nothing of procwire:
// 1. how soon after listen() a port is discovered (p50 target <= 250 ms), against the floor
//    of the child's own stdout line saying so reaching the parent;
// 2. the parent's CPU for discovery while 50 idle children with a listening socket each are
//    watched (target < 2% of one core), against the same 50 under ports: 'off';
// 3. how soon a dependent starts once its condition holds (target <= 20 ms from the
//    dependency's `exited` to the dependent's launch), beside the spawn it then does.
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { quantile, report, root } from './common.mjs';

const { Supervisor } = await import(`${root}dist/src/index.js`);
const load = loadavg()[0];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const IDLE = Number(process.env.BENCH_CHILDREN ?? 50);
const CPU_WINDOW_MS = Number(process.env.BENCH_CPU_WINDOW_MS ?? 10_000);
const listener = `${root}scripts/bench/children/listens-and-says-when.cjs`;
const idleServer = [
  '-c',
  'import socket, time\ns = socket.socket()\ns.bind(("127.0.0.1", 0))\ns.listen()\ntime.sleep(3600)',
];

const sup = await Supervisor.start({ maxConcurrentStarts: Number.POSITIVE_INFINITY });
try {
  const discovery = await discoveryLatency();
  const cpu = { auto: await discoveryCpu('auto'), off: await discoveryCpu('off') };
  const depends = await dependentLatency();
  const p50 = (list) => +quantile(list, 0.5).toFixed(1);
  const p95 = (list) => +quantile(list, 0.95).toFixed(1);
  const cpuShare = (ms) => +((100 * ms) / CPU_WINDOW_MS).toFixed(2);
  report(
    'discover',
    [
      {
        name: `port discovered after listen(), ms (${ROUNDS} servers)`,
        p50: p50(discovery.discovered),
        p95: p95(discovery.discovered),
        floor: `stdout line ${p50(discovery.printed)} ms p50`,
        target: 'p50 <= 250',
        met: quantile(discovery.discovered, 0.5) <= 250,
      },
      {
        name: `parent CPU, ${IDLE} idle children with a listening socket, % of one core`,
        p50: cpuShare(cpu.auto),
        p95: null,
        floor: `ports: 'off' ${cpuShare(cpu.off)}%`,
        target: '< 2 (discovery alone)',
        met: cpuShare(cpu.auto - cpu.off) < 2,
      },
      {
        name: `dependent launched after its dependency exited, ms (${ROUNDS} rounds)`,
        p50: p50(depends.launched),
        p95: p95(depends.launched),
        floor: `then spawned after ${p50(depends.spawned)} ms p50`,
        target: 'p50 <= 20',
        met: quantile(depends.launched, 0.5) <= 20,
      },
    ],
    { loadAverage: { atStart: load, atEnd: loadavg()[0] } },
  );
} finally {
  await sup.shutdown();
}

async function discoveryLatency() {
  const discovered = [];
  const printed = [];
  for (let i = 0; i < ROUNDS; i++) {
    const seen = new Promise((resolve) => {
      let listenedAt;
      let foundAt;
      const done = () => listenedAt !== undefined && foundAt !== undefined && resolve({ listenedAt, foundAt });
      sup.once('child', (child) => {
        child.on('stdout', (line) => {
          const match = /^listening \d+ ([\d.]+)$/.exec(line);
          if (!match) return;
          listenedAt = Number(match[1]);
          printed.push(Date.now() - listenedAt);
          done();
        });
        child.once('port', () => {
          foundAt = Date.now();
          done();
        });
      });
    });
    const child = await sup.spawn({
      id: `listener-${i}`,
      command: process.execPath,
      args: [listener],
      connect: 'none',
    });
    const { listenedAt, foundAt } = await seen;
    discovered.push(foundAt - listenedAt);
    await child.stop();
  }
  return { discovered, printed };
}

async function discoveryCpu(ports) {
  const children = await Promise.all(
    Array.from({ length: IDLE }, (_, i) =>
      sup.spawn({ id: `idle-${ports}-${i}`, command: 'python3', args: idleServer, connect: 'none', ports }),
    ),
  );
  if (ports === 'auto') {
    while (children.some((child) => child.ports.size === 0)) await sleep(100);
  }
  // Past the fast window: discovery now scans every 2 s.
  await sleep(5500);
  const before = process.cpuUsage();
  await sleep(CPU_WINDOW_MS);
  const used = process.cpuUsage(before);
  await Promise.all(children.map((child) => child.stop()));
  return (used.user + used.system) / 1000;
}

async function dependentLatency() {
  const launched = [];
  const spawned = [];
  for (let i = 0; i < ROUNDS; i++) {
    const marks = {};
    const watch = new Promise((resolve) => {
      sup.on('child', function onChild(child) {
        if (child.id === `step-${i}`) {
          child.on('state', (state) => {
            if (state.kind === 'exited') marks.held = performance.now();
          });
        }
        if (child.id === `after-${i}`) {
          sup.off('child', onChild);
          child.on('state', (state) => {
            if (state.kind !== 'starting') return;
            if (marks.launched === undefined && !state.reason.startsWith('waiting: ') && marks.held !== undefined)
              marks.launched = performance.now();
            if (state.pid !== undefined) {
              marks.spawned = performance.now();
              resolve(child);
            }
          });
        }
      });
    });
    await Promise.all([
      sup.spawn({ id: `step-${i}`, command: 'sh', args: ['-c', 'sleep 0.1'], connect: 'none', restart: 'never' }),
      sup.spawn({
        id: `after-${i}`,
        command: 'sleep',
        args: ['10'],
        connect: 'none',
        dependsOn: { [`step-${i}`]: 'exited' },
      }),
    ]);
    const after = await watch;
    launched.push(marks.launched - marks.held);
    spawned.push(marks.spawned - marks.held);
    await after.stop();
  }
  return { launched, spawned };
}
