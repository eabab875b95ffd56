// Diagnostics delivered per second into the parent: a child publishes 100,000 LSP-shaped
// diagnostics over 1,000 files. procwire sends one procwire/diagnostics per file (how LSP
// publishes). The floor is what a careful engineer writes without procwire: a raw Unix socket
// carrying one NDJSON message per file, the same batching, and waiting for 'drain' whenever
// `write` says the buffer is full. Beside it, the same socket with one message per
// diagnostic (what a transport without a per-file message leaves an application to do),
// fork IPC and node-ipc, one message per diagnostic. Each child is started and ready before
// its clock starts: the parent sends "go" and stops the clock when the last diagnostic has
// arrived and been filed by file. Rounds alternate between transports so all see the same
// machine state; round 0 warms up the JIT on both sides and is not counted.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IPCModule } from 'node-ipc';
import { Supervisor } from '../../dist/src/index.js';
import { now, quantile, report, root } from './common.mjs';

const { FILES, PER_FILE } = createRequire(import.meta.url)('./children/make-diagnostics.cjs');
const TOTAL = FILES * PER_FILE;
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const children = `${root}/scripts/bench/children`;
const dir = mkdtempSync(`${tmpdir()}/procwire-bench-`);
const load = loadavg()[0];
// A full GC before each round, so no transport pays on its clock for another's garbage
// (node-ipc leaves a lot). Works without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const gc = globalThis.gc ?? runInNewContext('gc');

/** What the parent does with each arriving diagnostic in every peer: file it by file, as procwire does. */
function inbox() {
  let files, count, finish;
  return {
    expect() {
      files = new Map();
      count = 0;
      return new Promise((resolve) => {
        finish = () => {
          // Let go of the round's diagnostics once handed over: a peer holding 100,000
          // objects between its rounds would slow every other transport's collections.
          const filed = files;
          files = undefined;
          resolve(filed);
        };
      });
    },
    /** One diagnostic ({ file, diagnostic }), or one file's whole list ({ file, diagnostics }). */
    take({ file, diagnostic, diagnostics }) {
      if (diagnostics !== undefined) {
        files.set(file, diagnostics);
        count += diagnostics.length;
      } else {
        let list = files.get(file);
        if (list === undefined) files.set(file, (list = []));
        list.push(diagnostic);
        count++;
      }
      if (count === TOTAL) finish();
    },
  };
}

/** `batch`: 'file' (the floor) or 'diagnostic'. */
async function rawSocket(batch) {
  const box = inbox();
  const server = createServer();
  const path = `${dir}/raw-${batch}.sock`;
  await new Promise((resolve) => server.listen(path, resolve));
  const env = { ...process.env, BENCH_SOCKET: path, BENCH_BATCH: batch };
  const proc = spawn(process.execPath, [`${children}/sends-diagnostics-over-raw-socket.cjs`], { stdio: 'ignore', env });
  const [socket] = await once(server, 'connection');
  // The usual newline-delimited JSON reader: carry the partial last line to the next chunk.
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      box.take(JSON.parse(text.slice(start, end)));
      start = end + 1;
    }
    rest = text.slice(start);
  });
  return {
    name:
      batch === 'file'
        ? 'raw socket, NDJSON, 1 msg/file, awaits drain (floor)'
        : 'raw socket, NDJSON, 1 msg/diagnostic, awaits drain',
    go: () => socket.write('go\n'),
    expect: box.expect,
    close: async () => {
      socket.destroy();
      server.close();
      await once(proc, 'exit');
    },
  };
}

async function forkIpc() {
  const box = inbox();
  const proc = fork(`${children}/sends-diagnostics-over-fork-ipc.cjs`, { stdio: 'ignore' });
  await once(proc, 'message');
  proc.on('message', box.take);
  return {
    name: 'child_process.fork IPC, 1 msg/diagnostic',
    go: () => proc.send('go'),
    expect: box.expect,
    close: async () => {
      proc.disconnect();
      await once(proc, 'exit');
    },
  };
}

async function nodeIpc() {
  const box = inbox();
  const ipc = new IPCModule();
  ipc.config.silent = true;
  ipc.config.id = 'bench';
  const path = `${dir}/node-ipc.sock`;
  const connected = new Promise((resolve) => {
    ipc.serve(path, () => {
      ipc.server.on('ready', (_data, socket) => resolve(socket));
      ipc.server.on('diagnostic', box.take);
    });
  });
  ipc.server.start();
  const proc = spawn(process.execPath, [`${children}/sends-diagnostics-over-node-ipc.cjs`], {
    stdio: 'ignore',
    env: { ...process.env, BENCH_SOCKET: path },
  });
  const socket = await connected;
  return {
    name: 'node-ipc 12, 1 msg/diagnostic',
    go: () => ipc.server.emit(socket, 'go'),
    expect: box.expect,
    close: async () => {
      // server.stop() closes only the listener; the child leaves when its connection does.
      socket.destroy();
      ipc.server.stop();
      await once(proc, 'exit');
    },
  };
}

async function procwire() {
  const sup = await Supervisor.start();
  const child = await sup.spawn({
    id: 'diagnostics',
    command: process.execPath,
    args: [`${children}/publishes-diagnostics-per-file.cjs`],
    stdio: 'ignore',
  });
  let remaining, finish;
  // Every round republishes the same 1,000 files; each full file replaces the one before.
  child.on('diagnostics', (_file, list) => {
    if (list.length === PER_FILE && --remaining === 0) finish(child.diagnostics);
  });
  return {
    name: 'procwire, 1 notification/file (100 diagnostics)',
    go: () => void child.sendNotification('bench/go'),
    expect: () => {
      remaining = FILES;
      return new Promise((resolve) => (finish = resolve));
    },
    close: () => sup.shutdown(),
  };
}

/** Times one round: from "go" until every diagnostic is filed; checks nothing went missing. */
async function round(transport) {
  gc();
  const filed = transport.expect();
  const started = now();
  transport.go();
  const files = await filed;
  const took = now() - started;
  if (files.size !== FILES || [...files.values()].some((list) => list.length !== PER_FILE)) {
    throw new Error(`${transport.name}: got ${files.size} files, not ${FILES} of ${PER_FILE}`);
  }
  return took;
}

const transports = [
  await rawSocket('file'),
  await procwire(),
  await rawSocket('diagnostic'),
  await forkIpc(),
  await nodeIpc(),
];
const times = new Map(transports.map((t) => [t, []]));
// Round 0 warms up the JIT on both sides of every transport and is not counted.
for (let r = 0; r <= rounds; r++) {
  for (const transport of transports) {
    const took = await round(transport);
    if (r > 0) times.get(transport).push(took);
  }
}
for (const transport of transports) await transport.close();
rmSync(dir, { recursive: true, force: true });

const rate = (ms) => TOTAL / (ms / 1000);
const floor = rate(quantile(times.get(transports[0]), 0.5));
const rows = transports.map(({ name }, i) => {
  const ms = times.get(transports[i]);
  const p50 = rate(quantile(ms, 0.5));
  const worst = rate(Math.max(...ms));
  return {
    name,
    'diag/s p50': Math.round(p50),
    'diag/s worst': Math.round(worst),
    'ms p50': +quantile(ms, 0.5).toFixed(1),
    'ratio p50': +(p50 / floor).toFixed(2),
  };
});
const procwireRatio = rows[1]['ratio p50'];
const target = 0.9;
report('diagnostics', rows, {
  rounds,
  diagnostics: TOTAL,
  files: FILES,
  // Other work on this 2-core machine slows every figure; this says how much there was.
  loadAverage: { atStart: load, atEnd: loadavg()[0] },
  targets: {
    'procwire / raw socket 1 msg/file (diag/s, p50)': {
      atLeast: target,
      measured: procwireRatio,
      met: procwireRatio >= target,
    },
  },
});
console.log(
  `target: procwire >= ${target}x the raw socket's rate (1 msg/file, awaits drain): ${procwireRatio}x, ` +
    `${procwireRatio >= target ? 'met' : 'MISSED'}`,
);
