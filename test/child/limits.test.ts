import t from 'tap';
import { once } from 'node:events';
import type { Child, ProcwireError, Supervisor } from '../../src/index.js';
import { nodeSpec, startSupervisor } from '../helpers/index.js';

/** The protocol errors and exit of the next child the supervisor adds. */
function watchNextChild(sup: Supervisor): { errors: ProcwireError[]; exited: Promise<unknown> } {
  const errors: ProcwireError[] = [];
  let resolveExit!: (value: unknown) => void;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  sup.once('child', (child: Child) => {
    child.on('protocol-error', (error) => errors.push(error));
    void once(child, 'exit').then(resolveExit);
  });
  return { errors, exited };
}

const caps = [
  {
    mode: 'ports',
    limits: { ports: 5 },
    at: 5,
    cap: /limits\.ports \(5\)/,
    what: /procwire\/port "port-5" would be port number 6/,
  },
  {
    mode: 'diagnostic-files',
    limits: { diagnosticFiles: 5 },
    at: 5,
    cap: /limits\.diagnosticFiles \(5\)/,
    what: /"\/src\/f5\.ts" would make 6 files/,
  },
  {
    mode: 'diagnostics',
    limits: { diagnostics: 50 },
    at: 50,
    cap: /limits\.diagnostics \(50\)/,
    what: /"\/src\/one\.ts" would make 51 diagnostics/,
  },
] as const;

for (const { mode, limits, at, cap, what } of caps) {
  t.test(
    `a child over its ${Object.keys(limits)[0]} cap gets a protocol error naming the cap; a sibling keeps working`,
    async (t) => {
      const sup = await startSupervisor(t);
      const honest = await sup.spawn(nodeSpec('honest', 'reports-too-much.cjs', { args: [mode, String(at)], limits }));
      const { errors, exited } = watchNextChild(sup);
      const greedy = await sup.spawn(
        nodeSpec('greedy', 'reports-too-much.cjs', { args: [mode, String(at + 1)], limits, restart: 'never' }),
      );
      await exited;
      t.equal(errors.length, 1, 'one protocol error');
      t.equal(errors[0]?.code, 'PROTOCOL_ERROR');
      t.equal(errors[0]?.childId, 'greedy');
      t.match(errors[0]?.message, /^child "greedy": /);
      t.match(errors[0]?.message, what);
      t.match(errors[0]?.message, cap);
      t.match(errors[0]?.message, /raise limits\.\w+ in its spec; the connection was closed$/);
      t.equal(greedy.state.kind, 'exited', 'the SDK exits when its connection closes; restart: never keeps it down');
      if (mode === 'ports') {
        await honest.waitForPort('port-4');
        t.equal(honest.ports.size, at, 'a child at its cap keeps what it reported');
      } else {
        await new Promise<void>((resolve) => {
          const check = (): void => {
            const count = [...honest.diagnostics.values()].reduce((sum, list) => sum + list.length, 0);
            if (count === at) resolve();
            else honest.once('diagnostics', check);
          };
          check();
        });
        t.pass('a child at its cap keeps what it reported');
      }
      t.equal(honest.state.kind, 'running');
      t.ok(honest.connected, 'the sibling is still connected');
    },
  );
}

t.test('limits are validated at once like other spec fields, naming the field and quoting the value', async (t) => {
  const sup = await startSupervisor(t);
  const bad =
    (limits: unknown): (() => unknown) =>
    () =>
      sup.spawn(nodeSpec('bad', 'ready-and-echo.cjs', { limits: limits as never }));
  const notALimit =
    /spec\.limits of child "bad"\.ports must be a whole number of at least 1, or Infinity for no limit; got/;
  t.throws(bad({ ports: 0 }), { name: 'TypeError', message: notALimit });
  t.throws(bad({ ports: 1.5 }), { name: 'TypeError', message: /got 1\.5$/ });
  t.throws(bad({ ports: '5' }), { name: 'TypeError', message: /got "5"$/ });
  t.throws(bad({ port: 3 }), {
    name: 'TypeError',
    message: /unknown option "port"; known options: diagnosticFiles, diagnostics, ports, writeBacklog/,
  });
  t.throws(bad(5), { name: 'TypeError', message: /spec\.limits of child "bad" must be an object; got 5/ });
  t.equal(sup.children.size, 0, 'nothing was spawned');
  const unlimited = await sup.spawn(
    nodeSpec('unlimited', 'ready-and-echo.cjs', { limits: { ports: Infinity, writeBacklog: 1 } }),
  );
  t.same(
    unlimited.spec.limits,
    { diagnosticFiles: 10_000, diagnostics: 200_000, ports: Infinity, writeBacklog: 1 },
    'Infinity and defaults',
  );
});

t.test('a child that never reads hits the write backlog cap: further sends fail with a typed error', async (t) => {
  const sup = await startSupervisor(t);
  const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
  const { errors, exited } = watchNextChild(sup);
  const deaf = await sup.spawn(
    nodeSpec('deaf', 'never-reads.cjs', { limits: { writeBacklog: 50 }, restart: 'never', stopTimeout: 200 }),
  );
  // 1 KiB each: the socket buffers take a few hundred, the backlog 50 more, then the cap.
  const pad = 'x'.repeat(1024);
  const sends: Promise<void>[] = [];
  for (let n = 0; n < 2000; n++) sends.push(deaf.sendNotification('note', { n, pad }));
  const results = await Promise.allSettled(sends);
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as ProcwireError] : []));
  t.ok(failures.length > 0, `${failures.length} of 2000 sends failed`);
  const first = failures.find((error) => error.code !== 'CONNECTION_CLOSED');
  t.equal(first?.code, 'PROTOCOL_ERROR', 'the send that found the backlog full failed with the cap error');
  t.equal(first?.childId, 'deaf');
  t.match(
    first?.message,
    /child "deaf": 50 messages from the parent wait unsent because the child does not read its socket, over its cap limits\.writeBacklog \(50\)/,
  );
  t.ok(
    failures.every(
      (error) =>
        error.code === 'PROTOCOL_ERROR' || error.code === 'CONNECTION_CLOSED' || error.code === 'NOT_CONNECTED',
    ),
    'every other failed send says the connection is closed',
  );
  t.equal(errors.length, 1, 'one protocol-error event');
  t.match(errors[0]?.message, /limits\.writeBacklog \(50\)/);
  await exited;
  await t.rejects(deaf.sendRequest('echo', {}), { code: 'NOT_CONNECTED' }, 'nothing more is queued for it');
  t.same(await honest.sendRequest('echo', { ok: 1 }), { ok: 1 }, 'the sibling is served');
});

t.test(
  'a deeply nested frame is refused with PROTOCOL_ERROR before it is parsed; a sibling keeps working',
  async (t) => {
    const sup = await startSupervisor(t);
    const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
    const { errors, exited } = watchNextChild(sup);
    let delivered = false;
    sup.once('child', (child: Child) => child.onNotification('app/deep', () => (delivered = true)));
    await sup.spawn(nodeSpec('deep', 'sends-deep-frame.cjs', { restart: 'never', stopTimeout: 200 }));
    await exited;
    t.equal(errors[0]?.code, 'PROTOCOL_ERROR');
    t.match(
      errors[0]?.message,
      /child "deep": frame body nests arrays and objects deeper than 128 levels; send flatter data; the connection was closed/,
    );
    t.equal(delivered, false, 'the message never reached the application');
    t.same(await honest.sendRequest('echo', { ok: 1 }), { ok: 1 });
  },
);
