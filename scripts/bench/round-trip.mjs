// Round-trip latency of one small request and its answer, parent -> child -> parent. The
// floor is stock vscode-jsonrpc over a Unix socket (its own socket reader and writer on both
// ends): procwire keeps vscode-jsonrpc as its JSON-RPC engine (DESIGN.md, Wire protocol),
// so the question is what procwire's reader, writer and request path add to it, or save.
// Beside it: a raw NDJSON socket (what no protocol at all costs), fork IPC, node-ipc, and a
// reference that is procwire's framing without the JSON-RPC layer. All children run at once
// and the calls are taken in blocks, round-robin, so every peer sees the same machine state
// (CPU frequency, other load, the parent's heap) rather than one peer getting the quiet
// minute and another the noisy one.
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
import { JSONRPC_FLOOR, PEERS, REFERENCES, procwireBuild, startPeer } from './peers.mjs';

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
// At or below stock vscode-jsonrpc: procwire's reader and writer must not cost more than the
// library's own.
const targets = { p50: 1, p99: 1 };
const FLOOR = 'vscode-jsonrpc';

const peers = {};
const KINDS = {
  ...JSONRPC_FLOOR,
  procwire: PEERS.procwire,
  ndjson: 'raw NDJSON over a Unix socket (no protocol)',
  fork: PEERS.fork,
  'node-ipc': PEERS['node-ipc'],
  ...REFERENCES,
};
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
const ratio = (kind, q, base = FLOOR) => +(stat(kind, q) / stat(base, q)).toFixed(2);
const rows = Object.entries(KINDS).map(([kind, name]) => ({
  name,
  p50_us: us(stat(kind, 0.5)),
  p99_us: us(stat(kind, 0.99)),
  ratio_p50: ratio(kind, 0.5),
  ratio_p99: ratio(kind, 0.99),
  raw_p50: ratio(kind, 0.5, 'ndjson'),
  cpu_us: Number.isNaN(cpu[kind]) ? null : +(cpu[kind] / calls).toFixed(1),
  ratio_cpu: Number.isNaN(cpu[kind]) ? null : +(cpu[kind] / cpu[FLOOR]).toFixed(2),
  target: kind === 'procwire' ? `p50 <= ${targets.p50}x, p99 <= ${targets.p99}x` : '',
}));

const met = {
  'procwire p50 / stock vscode-jsonrpc <= 1': ratio('procwire', 0.5) <= targets.p50,
  'procwire p99 / stock vscode-jsonrpc <= 1': ratio('procwire', 0.99) <= targets.p99,
};
report(sameCpu ? 'round-trip-same-cpu' : 'round-trip', rows, {
  placement: sameCpu ? 'parent and children pinned to CPU 0 (taskset -c 0)' : 'free: the scheduler places each process',
  calls,
  // A busy machine (another job's tests, say) moves every figure; keep the evidence with them.
  loadAverageAtStart,
  procwire: procwireBuild(),
  warmup,
  message: { n: 0, text: 'hello' },
  units:
    'microseconds per round trip; ratio_* against stock vscode-jsonrpc measured in the same run, ' +
    'raw_p50 against the raw NDJSON socket',
  cpu_us:
    'on-CPU time of the parent and the child main threads per round trip (/proc/<pid>/schedstat), both sides together',
  targets: {
    'procwire p50 / stock vscode-jsonrpc': targets.p50,
    'procwire p99 / stock vscode-jsonrpc': targets.p99,
  },
  met,
});
for (const [target, ok] of Object.entries(met)) console.log(`${ok ? 'met   ' : 'MISSED'} ${target}`);
