// A child floods its parent for 10 s and the parent's RSS must not grow with it: the parent
// pauses the child's socket while its JSON-RPC queue is full (read backpressure), and the
// diagnostics a child can make it hold are capped. Two floods, each in a fresh parent
// process (the kernel's peak-RSS mark only ever rises): small notifications, and
// procwire/diagnostics for ever-new files (clearing old ones, so within the caps). The
// child writes as fast as its socket takes it; the target is a peak parent RSS under
// 64 MiB over the parent's RSS before the flood (with the child connected and ready).
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Supervisor } from '../../dist/src/index.js';
import { report, root } from './common.mjs';

const MiB = 2 ** 20;
const TARGET_MiB = 64;
const floodMs = Number(process.env.BENCH_FLOOD_MS ?? 10_000);
const MODES = {
  notifications: 'small notifications (bench/tick { n })',
  diagnostics: 'procwire/diagnostics for ever-new files (5,000 live)',
};

if (process.argv[2]) await measureOne(process.argv[2]);
else await measureAll();

async function measureAll() {
  const loadAverageAtStart = loadavg();
  const rows = [];
  const raw = {};
  for (const [mode, name] of Object.entries(MODES)) {
    const result = await runIsolated(mode);
    raw[mode] = result;
    if (result.error) {
      rows.push({
        name,
        rss_before_MiB: null,
        rss_peak_MiB: null,
        growth_MiB: null,
        ratio_peak: null,
        handled_per_s: null,
        target: `< ${TARGET_MiB} MiB`,
        met: false,
        note: result.error,
      });
      continue;
    }
    const growth = (result.peak - result.before) / MiB;
    rows.push({
      name,
      rss_before_MiB: +(result.before / MiB).toFixed(1),
      rss_peak_MiB: +(result.peak / MiB).toFixed(1),
      growth_MiB: +growth.toFixed(1),
      ratio_peak: +(result.peak / result.before).toFixed(2),
      handled_per_s: Math.round(result.handled / (result.ms / 1000)),
      target: `< ${TARGET_MiB} MiB`,
      met: growth < TARGET_MiB,
      note: '',
    });
  }
  report('flood', rows, {
    floodMs,
    units:
      "rss_before = parent RSS with the child ready, before the flood; rss_peak = the parent's peak RSS (getrusage maxRSS) by the end; growth = peak - before; ratio_peak = peak / before; handled_per_s = messages the parent handled per second of flood",
    loadAverageAtStart,
    targets: Object.fromEntries(
      rows.map((row) => [row.name, { growthBelowMiB: TARGET_MiB, measured: row.growth_MiB, met: row.met }]),
    ),
    raw,
  });
  for (const row of rows)
    console.log(
      `target: ${row.name}: parent RSS growth < ${TARGET_MiB} MiB: ${row.growth_MiB} MiB, ${row.met ? 'met' : 'MISSED'}`,
    );
}

/** Runs one flood in its own parent process; a crash or a hang becomes a note. */
function runIsolated(mode) {
  const timeout = floodMs + 120_000;
  return new Promise((resolve) => {
    execFile(process.execPath, [fileURLToPath(import.meta.url), mode], { timeout }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()));
      } catch {
        resolve({
          error: error?.killed
            ? `no result within ${timeout / 1000} s`
            : stderr.trim().split('\n').pop() || String(error?.message ?? 'no result'),
        });
      }
    });
  });
}

async function measureOne(mode) {
  const sup = await Supervisor.start();
  const child = await sup.spawn({
    id: 'flooder',
    command: process.execPath,
    args: [`${root}scripts/bench/children/floods.cjs`],
    env: { BENCH_FLOOD_MODE: mode, BENCH_FLOOD_MS: String(floodMs) },
    stdio: 'ignore',
    restart: 'never',
    stopTimeout: 500,
  });
  let handled = 0;
  const errors = [];
  child.on('protocol-error', (error) => errors.push(error.message));
  child.onNotification('bench/tick', () => handled++);
  child.on('diagnostics', () => handled++);
  const done = new Promise((resolve) => child.onNotification('bench/done', resolve));
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  const started = Date.now();
  await child.sendNotification('bench/go');
  // Everything the child sent before bench/done has been handled when it arrives.
  await done;
  const ms = Date.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  const files = child.diagnostics.size;
  await sup.shutdown();
  if (errors.length > 0) throw new Error(`the flooding child broke the protocol: ${errors[0]}`);
  console.log(JSON.stringify({ before, peak, handled, ms, files }));
}
