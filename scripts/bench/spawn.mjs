// Spawn-to-ready of a minimal SDK child against the floor, a bare `node -e 0` spawn-to-exit,
// measured alternately in one run so both see the same machine state; and restart latency
// (kill -> ready again, zero backoff).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Supervisor } from '../../dist/src/index.js';
import { now, quantile, report, root } from './common.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 40);
const child = `${root}/test/fixtures/only-ready.cjs`;

async function bareNode() {
  const started = now();
  const proc = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(proc, 'exit');
  return now() - started;
}

const sup = await Supervisor.start();
let n = 0;
async function sdkChild() {
  const id = `c${n++}`;
  const started = now();
  const c = await sup.spawn({ id, command: process.execPath, args: [child], stdio: 'ignore' });
  const took = now() - started;
  await c.stop();
  return took;
}

// Warm up the disk cache and the JIT for both paths.
for (let i = 0; i < 5; i++) {
  await bareNode();
  await sdkChild();
}
const bare = [];
const ready = [];
for (let i = 0; i < runs; i++) {
  bare.push(await bareNode());
  ready.push(await sdkChild());
}

const restarter = await sup.spawn({
  id: 'restarter',
  command: process.execPath,
  args: [child],
  stdio: 'ignore',
  restart: 'always',
  maxRestarts: 1000,
  backoff: { initial: 0, max: 0, jitter: 0 },
});
const restart = [];
for (let i = 0; i < Math.min(runs, 30); i++) {
  const readyAgain = once(restarter, 'ready');
  const started = now();
  process.kill(restarter.pid, 'SIGKILL');
  await readyAgain;
  restart.push(now() - started);
}
await sup.shutdown();

const row = (name, values, base) => ({
  name,
  p50_ms: +quantile(values, 0.5).toFixed(1),
  p90_ms: +quantile(values, 0.9).toFixed(1),
  ratio_p50: +(quantile(values, 0.5) / quantile(base, 0.5)).toFixed(2),
});
report(
  'spawn',
  [
    row('bare node -e 0, spawn to exit (floor)', bare, bare),
    row('procwire SDK child, spawn to ready', ready, bare),
    row('restart: SIGKILL to ready again, 0 backoff', restart, ready),
  ],
  {
    runs,
    targets: { 'spawn to ready / bare': 1.15, 'restart / spawn to ready': 1.2 },
    notes: 'restart ratio is against spawn-to-ready',
  },
);
