// Spawn-to-ready of a minimal SDK child, CommonJS and ESM, against the floor, a bare `node -e 0`
// spawn-to-exit (for ESM, also against `node empty.mjs`: an ES module makes Node start its ESM
// loader, which no ESM child can avoid); beside them, what merely loading each entry costs, and
// the least any entry can cost (Node's socket module and the exports lookup, no procwire code).
// The children load 'procwire/child' from a copy of the package laid out as npm installs it (package.json and
// dist/), so the exports map picks dist/child.cjs or dist/child.mjs as it would for a user.
// All rows are measured in one run, interleaved round by round in a rotating order, so they see
// the same machine state. Each is measured twice: without the environment's START_COST_VARIABLES
// (see common.mjs; the targets are judged there, a Node start as most machines have it) and with
// the environment as it is. Then restart latency (SIGKILL -> ready again, zero backoff).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../../dist/src/index.js';
import { now, quantile, report, root, setStartCosts } from './common.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 40);
const loadBefore = loadavg();

const project = mkdtempSync(join(tmpdir(), 'procwire-bench-spawn-'));
process.on('exit', () => rmSync(project, { recursive: true, force: true }));
const installed = join(project, 'node_modules', 'procwire');
mkdirSync(installed, { recursive: true });
cpSync(join(root, 'package.json'), join(installed, 'package.json'));
cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
const write = (name, text) => {
  writeFileSync(join(project, name), text);
  return join(project, name);
};
const files = {
  cjsReady: write('ready.cjs', "require('procwire/child').connect().then((parent) => parent.ready());\n"),
  esmReady: write('ready.mjs', "import { connect } from 'procwire/child';\n(await connect()).ready();\n"),
  standaloneReady: write(
    'ready-standalone.cjs',
    "require('procwire/child/standalone').connect().then((parent) => parent.ready());\n",
  ),
  cjsLoad: write('load.cjs', "require('procwire/child');\n"),
  // The least any SDK entry costs before its first byte: Node's socket module, and finding
  // 'procwire/child' through the package's exports map (Node's CommonJS loader runs its ESM
  // resolver for that). Nothing of procwire's code is loaded.
  sdkFloor: write('sdk-floor.cjs', "require('node:net');\nrequire.resolve('procwire/child');\n"),
  sdkFloorEsm: write('sdk-floor.mjs', "import 'node:net';\nimport.meta.resolve('procwire/child');\n"),
  esmLoad: write('load.mjs', "import 'procwire/child';\n"),
  // Node starts its ESM loader only for a module: the least any ESM program pays.
  esmEmpty: write('empty.mjs', '\n'),
  // What any child that reports to its parent over a Unix socket pays, without procwire: Node's
  // socket, a connect, a hello line and its answer, then a "ready" line.
  rawReady: write(
    'raw-ready.cjs',
    "const socket = require('node:net').createConnection(process.env.BENCH_SOCKET);\n" +
      "socket.write('hello\\n');\n" +
      "socket.once('data', () => socket.end('ready\\n'));\n",
  ),
};

async function toExit(args) {
  const started = now();
  const proc = spawn(process.execPath, args, { stdio: 'ignore', cwd: project });
  await once(proc, 'exit');
  return now() - started;
}

const sup = await Supervisor.start();
let n = 0;
async function toReady(file) {
  const started = now();
  const c = await sup.spawn({ id: `c${n++}`, command: process.execPath, args: [file], cwd: project, stdio: 'ignore' });
  const took = now() - started;
  await c.stop();
  return took;
}

const rawPath = join(project, 'raw.sock');
const rawServer = createServer();
await new Promise((resolve) => rawServer.listen(rawPath, resolve));
/** Spawn to the raw child's "ready" line, answering its hello as procwire's parent does. */
async function rawToReady() {
  const started = now();
  const env = { ...process.env, BENCH_SOCKET: rawPath };
  const proc = spawn(process.execPath, [files.rawReady], { stdio: 'ignore', cwd: project, env });
  const [socket] = await once(rawServer, 'connection');
  let said = '';
  await new Promise((resolve) => {
    socket.on('data', (chunk) => {
      said += chunk;
      if (said === 'hello\n') socket.write('ok\n');
      if (said.endsWith('ready\n')) resolve();
    });
  });
  const took = now() - started;
  await once(proc, 'exit');
  return took;
}

const peers = {
  bare: () => toExit(['-e', '0']),
  bareEsm: () => toExit([files.esmEmpty]),
  rawReady: rawToReady,
  cjsReady: () => toReady(files.cjsReady),
  esmReady: () => toReady(files.esmReady),
  standaloneReady: () => toReady(files.standaloneReady),
  cjsLoad: () => toExit([files.cjsLoad]),
  sdkFloor: () => toExit([files.sdkFloor]),
  sdkFloorEsm: () => toExit([files.sdkFloorEsm]),
  esmLoad: () => toExit([files.esmLoad]),
};
// Each peer in both environments: `name` without the start-cost variables, `name + 'AsIs'` with them.
const envs = [
  { suffix: '', present: false },
  { suffix: 'AsIs', present: true },
];
const measured = Object.keys(peers).flatMap((name) =>
  envs.map((env) => ({ name: name + env.suffix, env, run: peers[name] })),
);
const times = Object.fromEntries(measured.map(({ name }) => [name, []]));
const hadStartCosts = setStartCosts(true);
const timeOne = async ({ env, run }) => {
  setStartCosts(env.present);
  return run();
};
// Warm up the disk cache and the JIT for every path.
for (let i = 0; i < 5; i++) for (const peer of measured) await timeOne(peer);
for (let i = 0; i < runs; i++) {
  for (let j = 0; j < measured.length; j++) {
    const peer = measured[(i + j) % measured.length];
    times[peer.name].push(await timeOne(peer));
  }
}
setStartCosts(false);

const restarter = await sup.spawn({
  id: 'restarter',
  command: process.execPath,
  args: [files.cjsReady],
  cwd: project,
  stdio: 'ignore',
  restart: 'always',
  maxRestarts: 1000,
  backoff: { initial: 0, max: 0, jitter: 0 },
});
const restart = [];
for (let i = 0; i < Math.min(runs, 30); i++) {
  const readyAgain = once(restarter, 'ready');
  const started = now();
  process.kill(restarter.pid, 'SIGKILL');
  await readyAgain;
  restart.push(now() - started);
}
await sup.shutdown();
rawServer.close();

const row = (name, values, base) => ({
  name,
  p50_ms: +quantile(values, 0.5).toFixed(1),
  p90_ms: +quantile(values, 0.9).toFixed(1),
  ratio_p50: +(quantile(values, 0.5) / quantile(base, 0.5)).toFixed(2),
});
const { bare, bareAsIs } = times;
const asIs = 'as the environment is (its NODE_EXTRA_CA_CERTS parsed at every start)';
report(
  'spawn',
  [
    row('bare node -e 0, spawn to exit (floor)', bare, bare),
    row('raw socket child (net, connect, hello line and answer, ready line), spawn to ready', times.rawReady, bare),
    row("CJS SDK child (require('procwire/child')), spawn to ready", times.cjsReady, bare),
    row('CJS SDK child against the raw socket child', times.cjsReady, times.rawReady),
    row("ESM SDK child (import from 'procwire/child'), spawn to ready", times.esmReady, bare),
    row('bare node empty.mjs, spawn to exit (the ESM floor: Node starts its ESM loader)', times.bareEsm, bare),
    row('ESM SDK child, spawn to ready, against the ESM floor', times.esmReady, times.bareEsm),
    row("reference: one-file SDK (require('procwire/child/standalone')), spawn to ready", times.standaloneReady, bare),
    row('reference: node load.cjs (require only), spawn to exit', times.cjsLoad, bare),
    row(
      "reference: require('node:net') and resolve 'procwire/child' (no procwire code), spawn to exit",
      times.sdkFloor,
      bare,
    ),
    row(
      "reference: import 'node:net' and resolve 'procwire/child' (no procwire code), against node empty.mjs",
      times.sdkFloorEsm,
      times.bareEsm,
    ),
    row('reference: node load.mjs (import only), spawn to exit', times.esmLoad, bare),
    row(`bare node -e 0, ${asIs}`, bareAsIs, bareAsIs),
    row(`CJS SDK child, spawn to ready, ${asIs}`, times.cjsReadyAsIs, bareAsIs),
    row(`ESM SDK child, spawn to ready, ${asIs}`, times.esmReadyAsIs, bareAsIs),
    row(`ESM SDK child, against node empty.mjs, ${asIs}`, times.esmReadyAsIs, times.bareEsmAsIs),
    row('restart: SIGKILL to ready again, 0 backoff', restart, times.cjsReady),
  ],
  {
    runs,
    loadavg: { before: loadBefore.map((l) => +l.toFixed(2)), after: loadavg().map((l) => +l.toFixed(2)) },
    targets: {
      'CJS spawn to ready / bare node -e 0': 1.1,
      'ESM spawn to ready / bare node empty.mjs': 1.1,
      'restart / CJS spawn to ready': 1.2,
    },
    notes:
      'restart ratio is against CJS spawn-to-ready. Targets are judged without NODE_EXTRA_CA_CERTS ' +
      (hadStartCosts ? '(this environment sets it; the rows that say so keep it)' : '(not set here)'),
  },
);
