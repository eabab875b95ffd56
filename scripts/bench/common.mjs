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
