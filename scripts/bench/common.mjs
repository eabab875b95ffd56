// Shared by the benchmark scripts: statistics, the machine, and where results go.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** The q-quantile (0-1) of a list of numbers, nearest rank. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Environment variables that make every Node process slower to start, whatever it runs. This
 * VM's environment sets NODE_EXTRA_CA_CERTS to a 200 KB CA bundle, which Node 20 reads and
 * parses at start, before any JavaScript: about 40 ms of a 100 ms `node -e 0` here (58 ms
 * without it). It is no part of what procwire costs, and it flatters every ratio against a
 * bare start; so the benchmarks that time Node starting measure without these as well.
 */
export const START_COST_VARIABLES = ['NODE_EXTRA_CA_CERTS'];
const startCostValues = Object.fromEntries(START_COST_VARIABLES.map((name) => [name, process.env[name]]));

/**
 * With `present` false, removes START_COST_VARIABLES from `process.env` (processes spawned
 * from then on, a Supervisor's children too, start without them); with true, puts back what
 * this process started with. Returns whether any was set, so a benchmark can say so.
 */
export function setStartCosts(present) {
  for (const [name, value] of Object.entries(startCostValues)) {
    if (present && value !== undefined) process.env[name] = value;
    else delete process.env[name];
  }
  return Object.values(startCostValues).some((value) => value !== undefined);
}

/** Milliseconds since an arbitrary origin, high resolution. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Prints a table of rows ({ name, ...figures }) and writes bench/results/<name>.json. */
export function report(name, rows, notes = {}) {
  console.log(`\n${name} (${new Date().toISOString().slice(0, 10)}, ${process.version}, ${cpus().length} cores)`);
  console.table(rows);
  mkdirSync(`${root}bench/results`, { recursive: true });
  const file = `${root}bench/results/${name}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ name, date: new Date().toISOString(), machine: machine(), rows, ...notes }, null, 2)}\n`,
  );
  console.log(`written to ${file.slice(root.length)}`);
}
