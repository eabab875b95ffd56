import t from 'tap';
import { createServer as createHttpServer } from 'node:http';
import { ProcwireError, type ChildSpec } from '../../src/index.js';
import { EVENT_WAIT_MS, fixture, freePort, startSupervisor, within } from '../helpers/index.js';

// readyWhen 'port', { tcp }, { http } against a real Node server with no SDK (test/fixtures/plain-server.cjs).

const server = fixture('plain-server.cjs');
const plain = (id: string, args: string[], extra: Partial<ChildSpec>): ChildSpec => ({
  id,
  command: process.execPath,
  args: [server, ...args],
  connect: 'none',
  restart: 'never',
  ...extra,
});

async function startError(promise: Promise<unknown>): Promise<ProcwireError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProcwireError) return error;
    throw error;
  }
  throw new Error('the start did not fail');
}

t.test('probes that pass: port found, tcp refused then accepted, http with a 10 MB endless body', async (t) => {
  const sup = await startSupervisor(t);
  const port = await freePort();
  // The probe may connect before the child's own "listening" line has crossed its pipe, so the
  // order of the two events proves nothing; the times do (one machine, one wall clock).
  let readyAt = 0;
  const listened = new Promise<number>((resolve) =>
    sup.on('child', (child) => {
      if (child.id !== 'tcp') return;
      child.on('ready', () => (readyAt = Date.now()));
      child.on('stdout', (line) => {
        const at = new RegExp(`^listening ${port} at (\\d+)$`).exec(line)?.[1];
        if (at) resolve(Number(at));
      });
    }),
  );
  const [found, tcp, big] = await Promise.all([
    sup.spawn(plain('found', [], { readyWhen: 'port' })),
    sup.spawn(plain('tcp', ['--port', String(port), '--delay', '700'], { readyWhen: { tcp: port } })),
    sup.spawn(plain('big', [], { readyWhen: { http: { port: 'port-1', path: '/big' } }, readyTimeout: '10s' })),
  ]);
  t.equal(found.ports.get('port-1')?.source, 'os', "readyWhen 'port' is ready with the discovered port");
  const listenedAt = await within(listened, 'the tcp child to say it listens');
  t.ok(readyAt >= listenedAt, `tcp: refused until it listened, then ready (${readyAt - listenedAt} ms after)`);
  t.equal(big.state.kind, 'running', 'the http probe read a bounded part of a body that never ends');
  await Promise.all([found.stop(), tcp.stop(), big.stop()]);
});

t.test('probes that fail name the probe and its last result', async (t) => {
  const sup = await startSupervisor(t);
  // A server that takes requests and never answers them.
  const never = createHttpServer(() => undefined);
  await new Promise<void>((resolve) => never.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    never.closeAllConnections();
    never.close();
  });
  const silentPort = (never.address() as { port: number }).port;
  const [mismatch, silent, exits] = await Promise.all([
    startError(
      sup.spawn(
        plain('mismatch', [], {
          readyWhen: { http: { port: 'port-1', path: '/status/503', status: 200 } },
          readyTimeout: '5s',
        }),
      ),
    ),
    startError(
      sup.spawn({
        id: 'silent',
        command: process.execPath,
        args: ['-e', 'setInterval(() => {}, 1e9)'],
        connect: 'none',
        restart: 'never',
        readyWhen: { http: { url: `http://127.0.0.1:${silentPort}/` } },
        readyTimeout: '1500ms',
      }),
    ),
    startError(
      sup.spawn({
        id: 'exits',
        command: process.execPath,
        args: ['-e', 'setTimeout(() => process.exit(3), 300)'],
        connect: 'none',
        restart: 'never',
        readyWhen: { tcp: 'port-1' },
      }),
    ),
  ]);
  t.equal(mismatch.code, 'READY_TIMEOUT');
  t.match(
    mismatch.message,
    /waited for GET \/status\/503 on port "port-1" to answer 200 \(last result: GET http:\/\/127\.0\.0\.1:\d+\/status\/503: 503 \(expected 200\): status 503\)/,
  );
  t.equal(silent.code, 'READY_TIMEOUT');
  t.match(
    silent.message,
    /waited for GET http:\/\/127\.0\.0\.1:\d+\/ to answer 200-399 \(last result: GET http:\/\/127\.0\.0\.1:\d+\/: no answer within 750 ms\)/,
  );
  t.equal(exits.code, 'EXITED_BEFORE_READY', 'a probed child that exits fails its start with its exit');
  t.equal(exits.exitCode, 3);
});

t.test('bad probes are TypeErrors at spawn, naming the field', async (t) => {
  const sup = await startSupervisor(t);
  const bad = (readyWhen: unknown, extra: Partial<ChildSpec> = {}) =>
    sup.spawn({ id: 'bad', command: 'true', connect: 'none', readyWhen: readyWhen as never, ...extra });
  t.throws(
    () => bad({ tcp: 'web' }),
    /spec\.readyWhen\.tcp names unknown port "web": ports found by the OS are named 'port-1'/,
  );
  t.throws(() => bad({ port: 'web' }, { portNames: ['api'] }), /names unknown port "web": .*'api', 'port-1'/);
  t.throws(() => bad('port', { ports: 'off' }), /needs ports: 'auto' or the SDK/);
  t.throws(() => bad({ http: { port: 'port-1' } }, { ports: 'off' }), /this child reports no ports/);
  t.throws(() => bad({ tcp: 70000 }), /port number 1-65535/);
  t.throws(() => bad({ http: { port: 80, url: 'http://127.0.0.1/' } }), /exactly one of port and url/);
  t.throws(() => bad({ http: { port: 80, path: '//evil.example/' } }), /path must start with one \//);
  t.throws(() => bad({ http: { url: 'file:///etc/passwd' } }), /http or https URL/);
  t.throws(() => bad({ http: { port: 80, status: 99 } }), /status/);
  t.equal(sup.children.size, 0, 'nothing was spawned');
  t.ok(EVENT_WAIT_MS > 0);
});
