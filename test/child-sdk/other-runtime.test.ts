import t from 'tap';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childSdkPath, childSdkStandalonePath, registerPath } from '../../src/index.js';
import { fixture, startSupervisor } from '../helpers/index.js';
import { node18, skipWithoutNode18 } from '../toolchain/fake-home.js';

// A second Node major from the npm registry (test/runtimes), standing in for a project's pinned toolchain.
// A preload in NODE_OPTIONS (tap's, which test/setup removes, or a shell's tsx) needs the
// parent's Node. `env -u` runs the toolchain without one (and execs it, so the pid stays the
// child's), as a real parent's child would run.
const pinned = (args: string[]): { command: string; args: string[] } => ({
  command: 'env',
  args: ['-u', 'NODE_OPTIONS', node18!, ...args],
});
const skip = skipWithoutNode18;

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
