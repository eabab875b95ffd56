// A plain program (no SDK) that prints tsc's output. argv[2] 'lines': BENCH_LINES lines of
// tsc-style diagnostics as fast as the pipe takes them, then exits: a project's 1,000 errors
// (50 files x 20) over and over, as a watch compiler reprints them, or with BENCH_DISTINCT=1
// every line a different error (1,000 files x 100 lines, then repeating). argv[2] 'cycles': BENCH_CYCLES watch cycles of `tsc --watch --pretty false`
// (a start line, 20 diagnostics, an end line that carries its write time after the text the
// matcher needs), 20 ms apart, then exits.
const mode = process.argv[2];
const time = '12:00:00 AM - ';
const [files, perFile] = process.env.BENCH_DISTINCT === '1' ? [1000, 100] : [50, 20];
const diagnostic = (i) =>
  `src/module${i % files}/file${i % files}.ts(${(Math.floor(i / files) % perFile) + 1},5): error TS2322: ` +
  "Type 'string' is not assignable to type 'number'.";

if (mode === 'lines') lines(Number(process.env.BENCH_LINES ?? 1_000_000));
else cycles(Number(process.env.BENCH_CYCLES ?? 200));

function lines(total) {
  let i = 0;
  const write = () => {
    while (i < total) {
      let chunk = '';
      for (let n = 0; n < 1000 && i < total; n++, i++) chunk += `${diagnostic(i)}\n`;
      if (!process.stdout.write(chunk)) return process.stdout.once('drain', write);
    }
  };
  write();
}

function cycles(total, n = 0) {
  if (n === total) return;
  let text = `${time}File change detected. Starting incremental compilation...\n`;
  for (let i = 0; i < 20; i++) text += `${diagnostic(n * 20 + i)}\n`;
  process.stdout.write(text);
  // The end line goes alone, so the time it carries is the time it was written.
  const wall = performance.timeOrigin + performance.now();
  process.stdout.write(`${time}Found 20 errors. Watching for file changes. t=${wall.toFixed(3)}\n`);
  setTimeout(() => cycles(total, n + 1), 20);
}
