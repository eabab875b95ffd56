import t from 'tap';
import { isProcwireError, type Child, type ChildState, type Diagnostic, type PortInfo } from '../../src/index.js';
import { EVENT_WAIT_MS, nextEvent, nodeSpec, startSupervisor, until } from '../helpers/index.js';

t.test('two children at once keep their own ports and diagnostics', async (t) => {
  const sup = await startSupervisor(t);
  const seen = new Map<string, { ports: PortInfo[]; files: string[] }>();
  sup.on('child', (child) => {
    const record = { ports: [] as PortInfo[], files: [] as string[] };
    seen.set(child.id, record);
    child.on('port', (port) => record.ports.push(port));
    child.on('diagnostics', (file) => record.files.push(file));
  });
  const [web1, web2] = await Promise.all([
    sup.spawn(nodeSpec('web-1', 'reports-http-port.cjs')),
    sup.spawn(nodeSpec('web-2', 'reports-http-port.cjs')),
  ]);
  const [tsc1, tsc2] = await Promise.all([
    sup.spawn(nodeSpec('tsc-1', 'publishes-diagnostics.cjs')),
    sup.spawn(nodeSpec('tsc-2', 'publishes-diagnostics.cjs')),
  ]);

  for (const web of [web1, web2]) {
    const port = await web.waitForPort('http', { timeout: '5s' });
    t.equal(port.name, 'http');
    t.equal(port.protocol, 'http');
    t.equal(port.host, '127.0.0.1');
    t.ok(port.port > 0, `${web.id} bound a real ephemeral port`);
    const response = await fetch(`http://${port.host}:${port.port}/`);
    t.equal(await response.text(), `hello from ${web.id}`, `${web.id}'s port reaches ${web.id}`);
    t.same(seen.get(web.id)?.ports, [port], `${web.id} fired one port event, seen from the supervisor's child event`);
  }
  t.not(web1.ports.get('http')?.port, web2.ports.get('http')?.port);

  for (const tsc of [tsc1, tsc2]) {
    t.same([...tsc.diagnostics.keys()].sort(), [`/src/${tsc.id}/a.ts`, `/src/${tsc.id}/b.ts`]);
    const a = tsc.diagnostics.get(`/src/${tsc.id}/a.ts`) as Diagnostic[];
    t.equal(a.length, 2);
    t.match(a[0], {
      severity: 1,
      code: 'TS2322',
      source: 'tsc',
      message: `${tsc.id}: type error`,
      range: { start: { line: 2, character: 4 } },
    });
    t.equal(a[1]?.severity, 2);
  }
  t.same(seen.get('tsc-1')?.files, ['/src/tsc-1/a.ts', '/src/tsc-1/b.ts'], 'one event per published file, in order');

  const cleared = nextEvent<[string, readonly Diagnostic[]]>(tsc1, 'diagnostics', 'the fixed file to be cleared');
  t.equal(await tsc1.sendRequest('fix'), 'fixed');
  t.same(await cleared, ['/src/tsc-1/a.ts', []], 'an empty array clears the file, with an event');
  t.same([...tsc1.diagnostics.keys()], ['/src/tsc-1/b.ts']);
  t.equal(tsc2.diagnostics.size, 2, 'the other child is untouched');
});

t.test('waitForPort waits for a later report, and fails clearly', async (t) => {
  const sup = await startSupervisor(t);
  let child: Child | undefined;
  sup.once('child', (c) => (child = c));
  const spawning = sup.spawn(nodeSpec('web', 'reports-http-port.cjs'));
  const early = child!.waitForPort('http');
  await spawning;
  t.equal((await early).port, child!.ports.get('http')?.port, 'a wait begun before the report resolves with it');

  await t.rejects(child!.waitForPort('admin', { timeout: 100 }), {
    code: 'TIMEOUT',
    message: /did not report port "admin" within 100 ms/,
  });
  const controller = new AbortController();
  const aborted = child!.waitForPort('admin', { signal: controller.signal });
  controller.abort();
  await t.rejects(aborted, { code: 'ABORTED' });
  const ended = child!.waitForPort('admin');
  await child!.stop();
  await t.rejects(ended, { code: 'STOPPED', message: /ended before it reported port "admin"/ });
  await t.rejects(
    child!.waitForPort('admin'),
    { code: 'STOPPED', message: /is stopped and never reported port "admin"/ },
    'a wait on a stopped child fails at once',
  );
});

t.test('waitForPort fails with STOPPED when the child ends with no process exit to see', async (t) => {
  const sup = await startSupervisor(t);
  // In backoff (its process gone, the next not yet spawned), then stopped. Watched from before the
  // spawn: on a loaded machine the exit can be seen with the ready, before spawn() resolves.
  let backoff: Promise<unknown> | undefined;
  sup.once('child', (child) => {
    const filter = (s: ChildState) => s.kind === 'backoff';
    backoff = nextEvent(child, 'state', 'the child to wait in backoff', { filter });
  });
  const flaky = await sup.spawn(
    nodeSpec('flaky', 'exits-after-ready.cjs', { args: ['1'], backoff: { initial: '1m', max: '1m', jitter: 0 } }),
  );
  await backoff;
  const inBackoff = flaky.waitForPort('http');
  await flaky.stop();
  await t.rejects(inBackoff, { code: 'STOPPED', message: /ended before it reported port "http"/ });

  // Waiting for a dependency (no process yet), then stopped.
  const db = await sup.spawn(nodeSpec('db', 'ready-and-echo.cjs'));
  await db.stop();
  let app: Child | undefined;
  sup.once('child', (c) => (app = c));
  const starting = sup.spawn(nodeSpec('app', 'reports-http-port.cjs', { dependsOn: { db: 'ready' } })).catch((e) => e);
  const waiting = app!.waitForPort('http');
  t.equal(app!.pid, undefined, 'no process: it waits for db');
  await app!.stop();
  await t.rejects(waiting, { code: 'STOPPED' });
  t.match(await starting, { code: 'STOPPED' });

  // Failed (its start gave up): refused at once, as stopped and exited are.
  let broken: Child | undefined;
  sup.once('child', (c) => (broken = c));
  await sup
    .spawn(nodeSpec('broken', 'exits-before-hello.cjs', { maxRestarts: 0 }))
    .catch((e: unknown) => t.ok(isProcwireError(e), String(e)));
  t.equal(broken!.state.kind, 'failed');
  await t.rejects(broken!.waitForPort('http'), { code: 'STOPPED', message: /is failed and never reported port/ });
});

t.test('waitForPort options are checked at once', async (t) => {
  const sup = await startSupervisor(t);
  const web = await sup.spawn(nodeSpec('web', 'reports-http-port.cjs'));
  t.throws(() => web.waitForPort('admin', { tmeout: 100 } as never), {
    name: 'TypeError',
    message: /options of waitForPort\("admin"\) for child "web" has an unknown option "tmeout"/,
  });
  t.throws(() => web.waitForPort('admin', { signal: 'soon' } as never), {
    name: 'TypeError',
    message: /\.signal must be an AbortSignal/,
  });
});

t.test(
  'a burst that outruns the socket reaches the parent whole, in order, before the answer sent after it',
  async (t) => {
    const sup = await startSupervisor(t);
    const child = await sup.spawn(nodeSpec('burst', 'publishes-diagnostics-burst.cjs'));
    const order: string[] = [];
    child.on('diagnostics', (file) => order.push(file));
    // ~300 B a diagnostic: 200 files of 100 is ~6 MB, far past what the socket holds at once.
    t.equal(await child.sendRequest('burst', { files: 200, perFile: 100 }), 200);
    t.same(
      order,
      Array.from({ length: 200 }, (_, n) => `/src/f${n}.ts`),
      'every file once, in publish order, before the answer',
    );
    for (const [file, list] of child.diagnostics) {
      t.equal(list.length, 100, `${file} is complete`);
      if (list.length !== 100) break;
    }
    t.equal(
      list(child, '/src/f199.ts')[99]?.message.startsWith('/src/f199.ts:99 '),
      true,
      'the last diagnostic of the last file is intact',
    );

    // Published from a shutdown handler, right before the SDK ends the socket and exits.
    const last = nextEvent<[string, readonly Diagnostic[]]>(
      child,
      'diagnostics',
      'the diagnostics published at shutdown',
      { filter: (file) => file === '/src/last.ts' },
    ).then(([, l]) => l.length);
    const stopped = await child.stop();
    t.equal(stopped.termination, 'clean');
    t.equal(await last, 500, 'what the child wrote before it ended the socket was flushed first');
  },
);

t.test("a child's last messages, written just before it exits, are all handled", async (t) => {
  const sup = await startSupervisor(t);
  let files = 0;
  sup.on('child', (child) => child.on('diagnostics', () => files++));
  const child = await sup.spawn(nodeSpec('last-words', 'raw-client.cjs', { args: ['last-words'], restart: 'never' }));
  // The 100 frames arrived with ready, in one read; the process exits right after.
  await until(() => files === 100 || child.state.kind === 'exited', EVENT_WAIT_MS, 'the diagnostics or the exit');
  if (files < 100) await until(() => files === 100, 2_000, 'all 100 diagnostics after the exit');
  t.equal(files, 100, 'none was dropped when the connection closed');
  t.equal(child.diagnostics.size, 100);
});

function list(child: Child, file: string): readonly Diagnostic[] {
  return child.diagnostics.get(file) ?? [];
}
