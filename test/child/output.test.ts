import t from 'tap';
import { once } from 'node:events';
import { nodeSpec, pidAlive, recordOutput, startSupervisor, within } from '../helpers/index.js';

t.test('stdout and stderr become line events, and procwire/log becomes log events', async (t) => {
  const sup = await startSupervisor(t);
  const { stdout, stderr, logs } = recordOutput(sup);
  const child = await sup.spawn(nodeSpec('chatty', 'logs-and-prints.cjs'));
  t.same(logs, [
    { level: 'info', message: 'compiling 3 files' },
    { level: 'warn', message: 'deprecated option' },
  ]);
  t.same(stderr, ['err one']);
  await child.stop();
  t.same(stdout, ['out one', 'out two', 'last line without newline'], 'CRLF trimmed, the unterminated last line kept');
});

t.test("connect: 'none' supervises a plain process: ready when spawned, stopped by signal", async (t) => {
  const sup = await startSupervisor(t);
  let printed!: Promise<unknown[]>;
  sup.on('child', (child) => (printed = within(once(child, 'stdout'), 'the plain child to print')));
  const child = await sup.spawn({
    id: 'plain',
    command: process.execPath,
    args: ['-e', 'console.log("up"); setInterval(() => {}, 1 << 30)'],
    connect: 'none',
  });
  t.equal(child.state.kind, 'running');
  t.equal(child.connected, false);
  await t.rejects(child.sendRequest('echo', {}), { code: 'NOT_CONNECTED' });
  const pid = child.pid!;
  t.ok(pidAlive(pid));
  t.same(await printed, ['up'], 'its output arrives as lines');
  const result = await child.stop();
  t.same(result, { exitCode: null, signal: 'SIGTERM', termination: 'escalated' });
  t.notOk(pidAlive(pid));
});

t.test("a connected child's stop is clean: it runs its shutdown handlers and exits 0", async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('web', 'reports-http-port.cjs'));
  const port = child.ports.get('http')!.port;
  const result = await child.stop();
  t.same(result, { exitCode: 0, signal: null, termination: 'clean' });
  t.equal(child.state.kind, 'stopped');
  await t.rejects(fetch(`http://127.0.0.1:${port}/`), 'the shutdown handler closed the server');
  t.same(
    await child.stop(),
    { exitCode: 0, signal: null, termination: 'clean' },
    'stopping a stopped child returns the last exit',
  );
});

t.test("stdio 'ignore' and 'inherit' start too, without line events", async (t) => {
  const sup = await startSupervisor(t);
  // 'pipe' first: the same fixture's prints do become events, so their absence below means something.
  for (const stdio of ['pipe', 'ignore', 'inherit'] as const) {
    const lines: string[] = [];
    sup.once('child', (child) => {
      child.on('stdout', (line) => lines.push(`stdout: ${line}`));
      child.on('stderr', (line) => lines.push(`stderr: ${line}`));
    });
    // Resolves after the child has printed both lines (it says ready only then).
    const child = await sup.spawn(nodeSpec(`printer-${stdio}`, 'prints-then-ready.cjs', { stdio }));
    t.same(await child.sendRequest('echo', { stdio }), { stdio });
    const exit = within(once(child, 'exit'), `${child.id} to exit`);
    await child.stop();
    await exit;
    const expected =
      stdio === 'pipe' ? ['stdout: # prints-then-ready: on stdout', 'stderr: # prints-then-ready: on stderr'] : [];
    t.same(
      lines.sort(),
      expected.sort(),
      `stdio '${stdio}': ${stdio === 'pipe' ? 'both lines arrive as events' : 'no stdout or stderr event'}`,
    );
  }
});
