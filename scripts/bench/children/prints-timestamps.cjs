// Prints its monotonic clock (nanoseconds; CLOCK_MONOTONIC, the same in every process of the
// machine) every BENCH_INTERVAL_MS, so whoever receives the line knows how long it travelled.
// BENCH_CLOCK=wall: the wall clock in milliseconds instead (microsecond digits), which a
// browser can compare with its own (performance.timeOrigin + performance.now()).
const interval = Number(process.env.BENCH_INTERVAL_MS ?? 500);
const stamp =
  process.env.BENCH_CLOCK === 'wall'
    ? () => (performance.timeOrigin + performance.now()).toFixed(3)
    : () => `${process.hrtime.bigint()}`;
// Children start staggered over one interval, so their lines do not all arrive together.
setTimeout(() => {
  setInterval(() => process.stdout.write(`${stamp()}\n`), interval);
}, Math.random() * interval);
