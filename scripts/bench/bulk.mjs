// A 10 MiB request and a 10 MiB answer: time per round trip and the parent's peak RSS
// over its baseline, for a raw NDJSON socket (the floor), fork IPC, node-ipc and procwire.
// Each peer runs in a fresh parent process (this file, given the peer's name), because the
// kernel's peak-RSS mark only ever rises: measured in one process, whichever peer ran first
// would set the mark that hides the others' peaks.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { now, quantile, report } from './common.mjs';
import { PEERS, procwireBuild, startPeer } from './peers.mjs';

const MiB = 2 ** 20;
const payloadMiB = 10;
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
// The rounds are split over passes through all the peers (A B C D A B C D), so that a
// change in the machine's load during the run lands on every peer, not on one.
const passes = Number(process.env.BENCH_PASSES ?? 2);
const roundsPerPass = Math.ceil(rounds / passes);
// A peer that takes longer than this for one round trip is reported as not coping.
const roundTripLimitMs = Number(process.env.BENCH_ROUND_TRIP_LIMIT_MS ?? 60_000);
const maxMessageSize = 64 * MiB;

if (process.argv[2]) await measureOne(process.argv[2]);
else await measureAll();

async function measureAll() {
  const loadAverageAtStart = loadavg();
  const runs = Object.fromEntries(Object.keys(PEERS).map((kind) => [kind, []]));
  for (let pass = 0; pass < passes; pass++) {
    for (const kind of Object.keys(PEERS)) {
      // A peer that failed once is not run again: a hang costs minutes each time.
      if (!runs[kind].some((run) => run.error)) runs[kind].push(await runIsolated(kind));
    }
  }
  const results = Object.fromEntries(Object.entries(runs).map(([kind, list]) => [kind, combine(list)]));
  const floor = results.ndjson;
  const ratio = (value, base) => (value != null && base ? +(value / base).toFixed(2) : null);
  const rows = Object.entries(PEERS).map(([kind, name]) => {
    const r = results[kind];
    if (r.error)
      return {
        name,
        median_ms: null,
        MiB_per_s: null,
        ratio_time: null,
        parent_rss_delta_MiB: null,
        ratio_rss: null,
        child_peak_rss_MiB: null,
        note: r.error,
      };
    return {
      name,
      median_ms: +r.medianMs.toFixed(1),
      // Both directions count: 2 x 10 MiB cross the socket per round trip.
      MiB_per_s: Math.round((2 * payloadMiB) / (r.medianMs / 1000)),
      ratio_time: ratio(r.medianMs, floor.medianMs),
      parent_rss_delta_MiB: +(r.parentPeakDelta / MiB).toFixed(1),
      ratio_rss: ratio(r.parentPeakDelta, floor.parentPeakDelta),
      child_peak_rss_MiB: r.childPeak == null ? null : +(r.childPeak / MiB).toFixed(1),
      note: '',
    };
  });
  report('bulk', rows, {
    payload: `${payloadMiB} MiB string field each way (base64 text), echoed`,
    rounds: roundsPerPass * passes,
    passes,
    // A busy machine (another job's tests, say) moves every figure; keep the evidence with them.
    loadAverageAtStart,
    procwire: procwireBuild(),
    units:
      'median ms per round trip over all rounds (each pass in a fresh parent, after one warm-up round); parent_rss_delta = peak RSS (getrusage maxRSS) minus RSS before the first bulk message, the highest of the passes',
    maxMessageSize: { procwire: maxMessageSize },
    raw: results,
  });
}

/** One peer's passes as one result: the median over all rounds, the highest peaks. */
function combine(list) {
  const failed = list.find((run) => run.error);
  if (failed) return failed;
  return {
    medianMs: quantile(
      list.flatMap((run) => run.times),
      0.5,
    ),
    parentPeakDelta: Math.max(...list.map((run) => run.parentPeakDelta)),
    childPeak: list.some((run) => run.childPeak == null) ? null : Math.max(...list.map((run) => run.childPeak)),
    passes: list,
  };
}

/** Runs one peer's measurement in its own process; a crash or a hang becomes a note, not a failure. */
function runIsolated(kind) {
  const file = fileURLToPath(import.meta.url);
  const timeout = (roundsPerPass + 2) * roundTripLimitMs;
  return new Promise((resolve) => {
    execFile(process.execPath, [file, kind], { timeout, maxBuffer: 16 * MiB }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        const why = error?.killed
          ? `no result within ${timeout / 1000} s`
          : stderr.trim().split('\n').pop() || String(error?.message ?? 'no result');
        resolve({ error: `did not cope: ${why}` });
      }
    });
  });
}

async function measureOne(kind) {
  const peer = await startPeer(kind, { maxMessageSize });
  await peer.call({ n: -1, text: 'hello' });
  // Base64 of random bytes: text that needs no JSON escaping, like most bulk payloads.
  const text = randomBytes((payloadMiB * MiB * 3) / 4).toString('base64');
  const before = process.memoryUsage.rss();
  const times = [];
  let error;
  try {
    for (let n = 0; n <= roundsPerPass; n++) {
      const started = now();
      const answer = await withinLimit(peer.call({ n, text }), n);
      const took = now() - started;
      if (answer?.n !== n || answer.text.length !== text.length || (n === 0 && answer.text !== text))
        throw new Error('bad echo');
      if (n > 0) times.push(took); // round 0 warms up the JIT and the buffers
    }
  } catch (cause) {
    error = `did not cope: ${cause.message}`;
  }
  const parentPeak = process.resourceUsage().maxRSS * 1024;
  const childPeak = childPeakRss(peer.pid);
  const result = error ? { error } : { times, parentPeakDelta: parentPeak - before, parentBefore: before, childPeak };
  console.log(JSON.stringify(result));
  if (error) {
    // A peer stuck mid-message may never close cleanly; do not wait for it.
    peer.kill();
    process.exit(0);
  }
  await peer.close();
}

function withinLimit(promise, n) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`round trip ${n} took over ${roundTripLimitMs / 1000} s`)),
      roundTripLimitMs,
    );
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** The child's own high-water mark, where the OS tells it (Linux's VmHWM). */
function childPeakRss(pid) {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}
