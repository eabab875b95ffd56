import t from 'tap';
import { createConnection } from 'node:net';
import { once } from 'node:events';
import type { ProcwireError } from '../../src/index.js';
import { firstLine, fixture, nodeSpec, spawnTracked, startSupervisor, within } from '../helpers/index.js';

t.test('a client that trickles its hello (slow-loris) is dropped at connectTimeout', async (t) => {
  const sup = await startSupervisor(t, { connectTimeout: 400 });
  const client = spawnTracked(t, process.execPath, [fixture('raw-client.cjs'), 'trickle-hello'], {
    ...process.env,
    PROCWIRE_SOCKET: sup.address,
    PROCWIRE_ID: 'x',
    PROCWIRE_TOKEN: 'y',
  });
  const report = JSON.parse(await firstLine(client.stdout!)) as { closed: boolean; received: string; heldMs: number };
  t.same({ closed: report.closed, received: report.received }, { closed: true, received: '' });
  // Timed by the client from its connect, so its start-up on a loaded machine is not in it; the
  // bound is far below the 10 s a stuck connection would hold.
  t.ok(report.heldMs >= 350 && report.heldMs < 5000, `dropped after ${report.heldMs} ms (connectTimeout 400 ms)`);
  t.equal(sup.stats.rejectedConnections, 1);
});

t.test('a connected child that stalls mid-frame is cut off after frameTimeout', async (t) => {
  const sup = await startSupervisor(t, { frameTimeout: 300 });
  const errors: ProcwireError[] = [];
  let exited!: Promise<unknown[]>;
  sup.on('child', (child) => {
    child.on('protocol-error', (error) => errors.push(error));
    exited = within(once(child, 'exit'), 'the loris to exit');
  });
  await sup.spawn(nodeSpec('loris', 'raw-client.cjs', { args: ['stall-after-ready'], restart: 'never' }));
  await exited;
  t.equal(errors[0]?.code, 'PROTOCOL_ERROR');
  t.match(errors[0]?.message, /child "loris": a frame stalled: not complete within 300 ms/);
});

t.test(
  '1,000 unauthenticated connections in a burst are all refused, and a real child still starts and works',
  async (t) => {
    const sup = await startSupervisor(t, { connectTimeout: 2000 });
    const sockets = Array.from({ length: 1000 }, (_, i) => {
      const socket = createConnection(sup.address);
      socket.on('error', () => undefined);
      // A third say nothing, a third send garbage, a third a hello with a made-up token.
      socket.on('connect', () => {
        if (i % 3 === 1) socket.write('GET / HTTP/1.1\r\n\r\n');
        if (i % 3 === 2) {
          const body = JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'procwire/hello',
            params: { protocol: 1, id: 'real', token: 'f'.repeat(64), pid: 1 },
          });
          socket.write(`Content-Length: ${body.length}\r\n\r\n${body}`);
        }
      });
      t.teardown(() => socket.destroy());
      return new Promise((resolve) => socket.on('close', resolve));
    });
    const started = Date.now();
    const child = await sup.spawn(nodeSpec('real', 'ready-and-echo.cjs'));
    t.same(await child.sendRequest('echo', { during: 'burst' }), { during: 'burst' });
    t.comment(`a real child was ready ${Date.now() - started} ms into the burst`);
    await Promise.all(sockets);
    t.equal(sup.stats.rejectedConnections, 1000, 'every one refused and counted');
    t.equal(sup.stats.acceptedConnections, 1);
    t.same(await child.sendRequest('echo', { after: 'burst' }), { after: 'burst' });
  },
);
