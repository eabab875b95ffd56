// Round-trip latency of one small request and its answer, parent -> child -> parent, for
// a raw NDJSON socket (the floor), fork IPC, node-ipc and procwire. All four children run
// at once and the calls are taken in blocks, round-robin, so every peer sees the same
// machine state (CPU frequency, other load, the parent's heap) rather than one peer
// getting the quiet minute and another the noisy one.
//
// `--same-cpu` runs the parent and every child on CPU 0 (Linux, taskset). On a small VM the
// free run mostly measures where the scheduler put each child: a peer whose child lands on
// the idle vCPU pays that vCPU's wake-up (tens of µs) twice per round trip, one that shares
// the parent's CPU does not, and which happens varies from run to run. On one CPU every peer
// pays the same switches and the figures are the software's own cost.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { now, quantile, report } from './common.mjs';
import { PEERS, REFERENCES, procwireBuild, startPeer } from './peers.mjs';

const sameCpu = process.argv.includes('--same-cpu');
if (sameCpu && !process.env.BENCH_PINNED) {
  // Children inherit the affinity, so pinning this process pins them all.
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, fileURLToPath(import.meta.url), '--same-cpu'], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  if (pinned.error) console.log(`round-trip --same-cpu skipped: taskset is not available (${pinned.error.message})`);
  process.exit(pinned.status ?? 0);
}

const loadAverageAtStart = loadavg();
const calls = Number(process.env.BENCH_CALLS ?? 20_000);
const warmup = Number(process.env.BENCH_WARMUP ?? 2_000);
const block = 100;
const targets = { p50: 1.2, p99: 1.5 };

const peers = {};
const KINDS = { ...PEERS, ...REFERENCES };
for (const kind of Object.keys(KINDS)) peers[kind] = await startPeer(kind);

let n = 0;
async function timedCall(peer) {
  const message = { n: n++, text: 'hello' };
  const started = now();
  const answer = await peer.call(message);
  const took = now() - started;
  // A wrong or stale answer would make a fast transport look faster than it is.
  if (answer?.n !== message.n || answer.text !== message.text) throw new Error(`bad echo ${JSON.stringify(answer)}`);
  return took;
}

// Warm-up lets the JIT settle on each path before anything is recorded.
for (const peer of Object.values(peers)) for (let i = 0; i < warmup; i++) await timedCall(peer);

// On-CPU time of a process's main thread in µs (Linux); NaN where the OS does not say.
function cpuTime(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e3;
  } catch {
    return Number.NaN;
  }
}

const samples = Object.fromEntries(Object.keys(peers).map((kind) => [kind, []]));
// CPU per round trip (parent + child) is the steadier figure on a VM, where how long a
// wake-up takes depends on how long the other side was idle (see the notes in the report).
const cpu = Object.fromEntries(Object.keys(peers).map((kind) => [kind, 0]));
for (let done = 0; done < calls; done += block) {
  for (const [kind, peer] of Object.entries(peers)) {
    const before = cpuTime(process.pid) + cpuTime(peer.pid);
    for (let i = 0; i < Math.min(block, calls - done); i++) samples[kind].push(await timedCall(peer));
    cpu[kind] += cpuTime(process.pid) + cpuTime(peer.pid) - before;
  }
}
for (const peer of Object.values(peers)) await peer.close();

const us = (ms) => +(ms * 1000).toFixed(1);
const stat = (kind, q) => quantile(samples[kind], q);
const ratio = (kind, q) => +(stat(kind, q) / stat('ndjson', q)).toFixed(2);
const rows = Object.entries(KINDS).map(([kind, name]) => ({
  name,
  p50_us: us(stat(kind, 0.5)),
  p99_us: us(stat(kind, 0.99)),
  ratio_p50: ratio(kind, 0.5),
  ratio_p99: ratio(kind, 0.99),
  cpu_us: Number.isNaN(cpu[kind]) ? null : +(cpu[kind] / calls).toFixed(1),
  ratio_cpu: Number.isNaN(cpu[kind]) ? null : +(cpu[kind] / cpu.ndjson).toFixed(2),
  target: kind === 'procwire' ? `p50 <= ${targets.p50}x, p99 <= ${targets.p99}x, p99 < node-ipc` : '',
}));

const met = {
  'procwire p50 / raw <= 1.2': ratio('procwire', 0.5) <= targets.p50,
  'procwire p99 / raw <= 1.5': ratio('procwire', 0.99) <= targets.p99,
  'procwire p99 < node-ipc p99': stat('procwire', 0.99) < stat('node-ipc', 0.99),
};
report(sameCpu ? 'round-trip-same-cpu' : 'round-trip', rows, {
  placement: sameCpu ? 'parent and children pinned to CPU 0 (taskset -c 0)' : 'free: the scheduler places each process',
  calls,
  // A busy machine (another job's tests, say) moves every figure; keep the evidence with them.
  loadAverageAtStart,
  procwire: procwireBuild(),
  warmup,
  message: { n: 0, text: 'hello' },
  units: 'microseconds per round trip; ratios against the raw NDJSON socket measured in the same run',
  cpu_us:
    'on-CPU time of the parent and the child main threads per round trip (/proc/<pid>/schedstat), both sides together',
  targets: {
    'procwire p50 / raw': targets.p50,
    'procwire p99 / raw': targets.p99,
    'procwire p99 vs node-ipc p99': 'lower',
  },
  met,
});
for (const [target, ok] of Object.entries(met)) console.log(`${ok ? 'met   ' : 'MISSED'} ${target}`);
