// Prints its monotonic clock (nanoseconds; CLOCK_MONOTONIC, the same in every process of the
// machine) every BENCH_INTERVAL_MS, so whoever receives the line knows how long it travelled.
const interval = Number(process.env.BENCH_INTERVAL_MS ?? 500);
// Children start staggered over one interval, so their lines do not all arrive together.
setTimeout(() => {
  setInterval(() => process.stdout.write(`${process.hrtime.bigint()}\n`), interval);
}, Math.random() * interval);
