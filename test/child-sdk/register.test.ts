import t from 'tap';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { registerPath, type Diagnostic } from '../../src/index.js';
import { fixture, recordLives, startSupervisor, within } from '../helpers/index.js';

const preloaded = (id: string, file: string, extra: object = {}) => ({
  id,
  command: process.execPath,
  args: ['--require', registerPath, fixture(file)],
  ...extra,
});

/** 0-based line of the marker comment in a fixture, and the column where its error is made (V8's stack position). */
function markedSite(file: string, marker: string): { line: number; character: number } {
  const lines = readFileSync(fixture(file), 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(marker));
  return { line, character: lines[line]!.indexOf('new ') };
}

t.test('an unmodified HTTP server on port 0 shows its real port in the parent, and is ready', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(preloaded('plain', 'plain-http-server.cjs'));
  const port = await child.waitForPort('port-1', { timeout: '5s' });
  t.equal(port.protocol, 'http');
  t.equal(port.host, '127.0.0.1', 'an unspecified address is reported as loopback');
  t.ok(port.port > 0);
  t.match(await (await fetch(`http://${port.host}:${port.port}/`)).text(), /^plain server on v/);
  t.equal(child.state.kind, 'running');
  t.same(
    await child.stop(),
    { exitCode: 0, signal: null, termination: 'clean' },
    'the preload also handles procwire/shutdown',
  );
});

t.test('servers are named from listen options, a procwireName property, or port-N', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(preloaded('named', 'named-servers.cjs'));
  const ports = await Promise.all(['api', 'admin', 'port-1'].map((name) => child.waitForPort(name, { timeout: '5s' })));
  t.same(
    ports.map((p) => p.name),
    ['api', 'admin', 'port-1'],
  );
  t.equal(new Set(ports.map((p) => p.port)).size, 3);
  t.equal(ports[0]?.protocol, undefined, 'a plain TCP server has no protocol');
});

for (const [file, marker, origin, message, code] of [
  [
    'throws-after-listen.cjs',
    'THROW-SITE',
    'an uncaught exception',
    'TypeError: config.port is not a number',
    'uncaught-exception',
  ],
  [
    'rejects-after-listen.cjs',
    'REJECT-SITE',
    'an unhandled rejection',
    'RangeError: pool size out of range',
    'unhandled-rejection',
  ],
] as const) {
  t.test(`${origin} arrives as an error diagnostic at its throw site before the process dies`, async (t) => {
    const sup = await startSupervisor(t);
    const lives = recordLives(sup);
    let diagnostics!: Promise<[string, readonly Diagnostic[]]>;
    sup.once(
      'child',
      (child) =>
        (diagnostics = within(once(child, 'diagnostics'), 'the crash diagnostic') as Promise<
          [string, readonly Diagnostic[]]
        >),
    );
    const child = await sup.spawn(preloaded('crashy', file, { restart: 'never' }));
    const [reported, list] = await diagnostics;
    await lives.get('crashy')!.reaches('exited');
    t.equal(reported, fixture(file));
    const site = markedSite(file, marker);
    t.match(list, [{ severity: 1, source: 'node', code, message, range: { start: site, end: site } }]);
    t.equal(child.state.kind === 'exited' && child.state.exitCode, 1, 'the process still died as it would have');
    t.same([...child.diagnostics.keys()], [fixture(file)], 'the diagnostic stays visible after the crash');
  });
}

t.test('an app that never listens is ready at once; PROCWIRE_READY=listen makes it wait', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(preloaded('worker', 'never-listens.cjs'));
  t.equal(child.state.kind, 'running');
  t.equal(child.ports.size, 0);
  await t.rejects(
    sup.spawn(
      preloaded('patient', 'never-listens.cjs', {
        env: { PROCWIRE_READY: 'listen' },
        readyTimeout: 2000,
        restart: 'never',
      }),
    ),
    {
      code: 'READY_TIMEOUT',
      message: /connected but never sent procwire\/ready/,
    },
  );
});

t.test('the preload does not keep a one-shot tool alive', async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const lines: string[] = [];
  sup.once('child', (child) => child.on('stdout', (line) => lines.push(line)));
  await sup.spawn(preloaded('tool', 'finishes-by-itself.cjs'));
  await lives.get('tool')!.reaches('exited');
  t.same(
    lives.get('tool')!.exits.map(({ exitCode, signal }) => ({ exitCode, signal })),
    [{ exitCode: 0, signal: null }],
    'it ended by itself, once',
  );
  t.same(lines, ['tool done']);
});

t.test('outside procwire the preload does nothing and the app runs as usual', async (t) => {
  const { spawnTracked, within } = await import('../helpers/index.js');
  const env = { ...process.env };
  delete env.PROCWIRE_SOCKET;
  const tool = spawnTracked(t, process.execPath, ['--require', registerPath, fixture('finishes-by-itself.cjs')], env);
  let stdout = '';
  let stderr = '';
  tool.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  tool.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  // 'close' comes after the exit and the end of both pipes: everything printed has been read.
  const [code, signal] = await within(once(tool, 'close'), 'the tool to exit and close its output');
  t.same({ code, signal }, { code: 0, signal: null }, 'it exits 0 by itself');
  t.equal(stdout, 'tool done\n', 'it printed what it prints without the preload');
  t.equal(stderr, '', 'and the preload wrote nothing to stderr');
});
