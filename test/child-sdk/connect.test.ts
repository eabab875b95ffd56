import t, { type Test } from 'tap';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { registerPath } from '../../src/index.js';
import {
  exitOf,
  firstLine,
  fixture,
  killAtTeardown,
  nodeSpec,
  pidAlive,
  spawnTracked,
  startSupervisor,
  until,
} from '../helpers/index.js';

function markerFile(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-marker-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'marks');
}

const readMarks = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

/**
 * Starts parent-of-one.mjs over `childFixture` and reads its report. Whatever happens, the
 * child is killed and the socket directory the parent cannot remove after a SIGKILL is removed.
 */
async function startParentOfOne(
  t: Test,
  childFixture: string,
  env: NodeJS.ProcessEnv,
): Promise<{ parent: ChildProcess; pid: number }> {
  const parent = spawnTracked(t, process.execPath, [fixture('parent-of-one.mjs'), childFixture], {
    ...process.env,
    ...env,
  });
  const { pid, address } = JSON.parse(await firstLine(parent.stdout!)) as { pid: number; address: string };
  killAtTeardown(t, pid);
  t.teardown(() => rmSync(dirname(address), { recursive: true, force: true }));
  return { parent, pid };
}

t.test('connect() outside procwire rejects with NOT_SUPERVISED and says how to fix it', async (t) => {
  const env = { ...process.env };
  delete env.PROCWIRE_SOCKET;
  delete env.PROCWIRE_ID;
  delete env.PROCWIRE_TOKEN;
  const probe = spawnTracked(
    t,
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(join(fixture('..'), '..', 'dist', 'child.cjs'))}).connect().catch((e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })))`,
    ],
    env,
  );
  const error = JSON.parse(await firstLine(probe.stdout!)) as { name: string; code: string; message: string };
  t.equal(error.name, 'ProcwireError');
  t.equal(error.code, 'NOT_SUPERVISED');
  t.match(error.message, /PROCWIRE_SOCKET.*not started by a procwire supervisor.*sup\.spawn\(\)/);
});

t.test('on stop the shutdown handlers run last-registered first, then the child exits 0', async (t) => {
  const marker = markerFile(t);
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('graceful', 'records-shutdown.cjs', { env: { MARKER_FILE: marker } }));
  t.same(await child.stop(), { exitCode: 0, signal: null, termination: 'clean' });
  t.same(readMarks(marker), ['second-registered shutdown', 'first-registered shutdown']);
});

t.test('a parent killed with SIGKILL: its SDK child runs its handlers and exits within 1 s', async (t) => {
  const marker = markerFile(t);
  const { parent, pid } = await startParentOfOne(t, './records-shutdown.cjs', { MARKER_FILE: marker });
  t.ok(pidAlive(pid), 'the child runs');
  parent.kill('SIGKILL');
  await exitOf(parent);
  const waited = await until(() => !pidAlive(pid), 1000, `child ${pid} to exit`);
  t.ok(waited <= 1000, `child ${pid} exited ${waited} ms after its parent died`);
  t.same(
    readMarks(marker).filter((m) => !m.startsWith('log after')),
    ['disconnected', 'second-registered disconnect', 'first-registered disconnect'],
  );
});

for (const [how, env] of [
  ['', {}],
  // The preload connects with the defaults before the application's own connect() runs.
  [', also when the preload connected first', { NODE_OPTIONS: `--require ${registerPath}` }],
] as const) {
  t.test(`a child that opted out of exitOnDisconnect survives its parent and hears the disconnect${how}`, async (t) => {
    const marker = markerFile(t);
    const { parent, pid } = await startParentOfOne(t, './records-shutdown.cjs', {
      MARKER_FILE: marker,
      KEEP_ALIVE: '1',
      ...env,
    });
    parent.kill('SIGKILL');
    await exitOf(parent);
    // A broken opt-out would still be alive inside the SDK's 800 ms exit budget; the fixture's
    // own mark 1 s after the disconnect is written only by a process that outlived it.
    await until(
      () => readMarks(marker).includes('still running 1 s after the disconnect'),
      3000,
      'the mark written 1 s after the disconnect',
    );
    t.ok(pidAlive(pid), 'still running after the disconnect, past the 800 ms exit budget');
    t.same(
      readMarks(marker),
      ['disconnected', 'log after disconnect sent: false', 'still running 1 s after the disconnect'],
      'no shutdown handler ran; a late report resolved false',
    );
  });
}

for (const [how, extra] of [
  ['connect() called twice', {}],
  // PROCWIRE_READY=listen: the preload would otherwise say ready before the fixture serves 'env'.
  [
    'the preload, then connect() twice',
    { args: ['--require', registerPath, fixture('reports-env-after-connect.cjs')], env: { PROCWIRE_READY: 'listen' } },
  ],
] as const) {
  t.test(
    `after ${how}, PROCWIRE_SOCKET, _ID and _TOKEN are gone from process.env and from a subprocess started then`,
    async (t) => {
      const sup = await startSupervisor(t);
      const spec = nodeSpec('env', 'reports-env-after-connect.cjs');
      const child = await sup.spawn('args' in extra ? { ...spec, args: [...extra.args], env: extra.env } : spec);
      t.same(
        await child.sendRequest('env'),
        { own: [], grandchild: [], shared: true },
        'nothing left to inherit; the later call shared the connection',
      );
    },
  );
}
