// Pinned runtimes: (1) resolution with 50 installed versions spread over five managers' layouts,
// from a project 6 directories deep whose pin sits at its top — cold (everything procwire
// remembers forgotten first) and cached; (2) spawn-to-ready of an SDK child with
// runtime: { node: 'auto' } against the same binary given by absolute path, interleaved, without
// the environment's START_COST_VARIABLES (see common.mjs), which would add the same ~40 ms to both.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../../dist/src/index.js';
import { forgetToolchainCaches, resolveRuntime } from '../../dist/src/toolchain/index.js';
import { now, quantile, report, root, setStartCosts } from './common.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 40);
// Before `env` below copies process.env for the children.
setStartCosts(false);
const base = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-bench-toolchain-')));
process.on('exit', () => rmSync(base, { recursive: true, force: true }));

const home = join(base, 'home');
const layouts = {
  nvm: (v) => join(home, '.nvm/versions/node', `v${v}`, 'bin'),
  fnm: (v) => join(home, '.local/share/fnm/node-versions', `v${v}`, 'installation/bin'),
  volta: (v) => join(home, '.volta/tools/image/node', v, 'bin'),
  mise: (v) => join(home, '.local/share/mise/installs/node', v, 'bin'),
  asdf: (v) => join(home, '.asdf/installs/nodejs', v, 'bin'),
};
// 50 versions, 10 per manager, the running one among them (nvm's) so a child can run on it.
const running = process.version.slice(1);
const versions = [running];
for (let major = 10; versions.length < 50; major++) {
  for (const patch of [0, 3, 7])
    if (versions.length < 50 && `${major}.1.${patch}` !== running) versions.push(`${major}.1.${patch}`);
}
Object.values(layouts).forEach((bin, m) => {
  for (const version of versions.slice(m * 10, m * 10 + 10)) {
    mkdirSync(bin(version), { recursive: true });
    symlinkSync(process.execPath, join(bin(version), 'node'));
  }
});
const project = join(base, 'repo');
const cwd = join(project, 'packages/app/src/lib/deep/er');
mkdirSync(cwd, { recursive: true });
writeFileSync(join(project, '.nvmrc'), `${running}\n`);
writeFileSync(join(project, 'packages/app/package.json'), JSON.stringify({ name: 'app', engines: { node: '>=16' } }));
const env = {
  ...process.env,
  HOME: home,
  NVM_DIR: '',
  FNM_DIR: '',
  VOLTA_HOME: '',
  MISE_DATA_DIR: '',
  ASDF_DATA_DIR: '',
  XDG_DATA_HOME: '',
};
const request = { name: 'node', pin: 'auto' };

const time = (fn) => {
  const started = now();
  fn();
  return now() - started;
};
const resolveOnce = () => {
  const found = resolveRuntime(request, { cwd, env });
  if (found.version !== running || found.manager !== 'nvm') throw new Error(`resolved ${JSON.stringify(found)}`);
};
const firstEver = time(resolveOnce);
const cold = [];
const cached = [];
for (let i = 0; i < 200; i++) {
  forgetToolchainCaches();
  cold.push(time(resolveOnce));
  cached.push(time(resolveOnce));
}

// Spawn to ready: the same Node binary, found through the pin or given by path.
const sup = await Supervisor.start();
const child = `${root}test/fixtures/only-ready.cjs`;
let n = 0;
async function spawnToReady(extra) {
  const started = now();
  const c = await sup.spawn({ id: `c${n++}`, args: [child], stdio: 'ignore', cwd, env, ...extra });
  const took = now() - started;
  await c.stop();
  return took;
}
const byPath = { command: process.execPath };
const pinned = { command: 'node', runtime: { node: 'auto' } };
for (let i = 0; i < 5; i++) {
  await spawnToReady(byPath);
  await spawnToReady(pinned);
}
const pathTimes = [];
const pinnedTimes = [];
for (let i = 0; i < runs; i++) {
  // Alternate which goes first, so neither always follows the other's stop.
  if (i % 2 === 0) {
    pathTimes.push(await spawnToReady(byPath));
    pinnedTimes.push(await spawnToReady(pinned));
  } else {
    pinnedTimes.push(await spawnToReady(pinned));
    pathTimes.push(await spawnToReady(byPath));
  }
}
await sup.shutdown();

const ms = (value) => +value.toFixed(3);
report(
  'toolchain',
  [
    {
      name: 'resolve auto, 50 versions in 5 managers: first in the process',
      p50_ms: ms(firstEver),
      p99_ms: ms(firstEver),
    },
    {
      name: 'resolve auto, cold (caches forgotten)',
      p50_ms: ms(quantile(cold, 0.5)),
      p99_ms: ms(quantile(cold, 0.99)),
    },
    { name: 'resolve auto, cached', p50_ms: ms(quantile(cached, 0.5)), p99_ms: ms(quantile(cached, 0.99)) },
    {
      name: 'spawn to ready, node by absolute path (floor)',
      p50_ms: ms(quantile(pathTimes, 0.5)),
      p99_ms: ms(quantile(pathTimes, 0.99)),
      ratio_p50: 1,
    },
    {
      name: "spawn to ready, runtime: { node: 'auto' }",
      p50_ms: ms(quantile(pinnedTimes, 0.5)),
      p99_ms: ms(quantile(pinnedTimes, 0.99)),
      ratio_p50: +(quantile(pinnedTimes, 0.5) / quantile(pathTimes, 0.5)).toFixed(3),
    },
  ],
  {
    runs,
    installedVersions: versions.length,
    targets: { 'resolve cold ms': 20, 'resolve cached ms': 1, 'spawn auto / by path': 1.05 },
  },
);
