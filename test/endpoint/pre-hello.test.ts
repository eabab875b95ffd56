import t from 'tap';
import { createConnection, type Socket } from 'node:net';
import { Endpoint } from '../../src/endpoint/index.js';
import { firstLine, fixture, nodeSpec, spawnTracked, startSupervisor, until } from '../helpers/index.js';

// Before its hello a connection is a stranger: what it may make the parent hold is a few
// KiB, and how many strangers wait at once is capped.

t.test(
  '20 strangers declaring 16 MiB frames before hello are refused from the header, and parent memory stays flat',
  async (t) => {
    const endpoint = await Endpoint.listen({
      connectTimeoutMs: 5000,
      maxMessageSize: 16 * 1024 * 1024,
      frameTimeoutMs: 30_000,
    });
    t.teardown(() => endpoint.close());
    const reasons: string[] = [];
    endpoint.on('rejected', (reason) => reasons.push(reason));
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    t.teardown(() => clearInterval(sampler));
    // Each would push 4 MiB of body: 80 MiB in all if the parent buffered them.
    const flood = spawnTracked(
      t,
      process.execPath,
      [fixture('floods-before-hello.cjs'), '20', String(4 * 1024 * 1024)],
      {
        ...process.env,
        PROCWIRE_SOCKET: endpoint.address,
      },
    );
    const report = JSON.parse(await firstLine(flood.stdout!)) as { closedAfterMs: number[] };
    clearInterval(sampler);
    t.equal(report.closedAfterMs.length, 20);
    const slowest = Math.max(...report.closedAfterMs);
    t.ok(slowest < 2000, `every one closed within ${slowest} ms, long before the 5 s connectTimeout`);
    t.equal(endpoint.stats.rejectedConnections, 20, 'each counted once');
    t.equal(reasons.length, 20);
    t.ok(
      reasons.every((reason) => /larger than the 4096 bytes a hello may take/.test(reason)),
      `refused as oversize: ${reasons[0]}`,
    );
    const grewMiB = (peak - baseline) / 1024 / 1024;
    t.ok(grewMiB < 8, `parent buffers grew ${grewMiB.toFixed(1)} MiB (80 MiB were offered)`);
  },
);

t.test('a hello-sized first frame is still read, and after the hello the full maxMessageSize applies', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('big', 'ready-and-echo.cjs'));
  const payload = { blob: 'x'.repeat(1024 * 1024) };
  t.same(await child.sendRequest('echo', payload), payload, 'a 1 MiB echo both ways after the hello');
});

t.test(
  'connections beyond 64 waiting to say hello are closed at once and counted, and a real child still connects',
  async (t) => {
    const sup = await startSupervisor(t, { connectTimeout: '10s' });
    const sockets: Socket[] = [];
    let closed = 0;
    t.teardown(() => sockets.forEach((socket) => socket.destroy()));
    const started = Date.now();
    for (let i = 0; i < 164; i++) {
      const socket = createConnection(sup.address);
      socket.on('error', () => undefined);
      socket.on('close', () => closed++);
      sockets.push(socket);
    }
    await until(() => sup.stats.rejectedConnections >= 100 && closed >= 100, 3000, '100 connections closed');
    t.ok(Date.now() - started < 3000, `closed in ${Date.now() - started} ms, not at the 10 s connectTimeout`);
    t.equal(sup.stats.rejectedConnections, 100, 'the 100 beyond the cap are counted');
    t.equal(sockets.filter((socket) => !socket.destroyed).length, 64, '64 still wait');

    const child = await sup.spawn(nodeSpec('real', 'ready-and-echo.cjs'));
    t.same(await child.sendRequest('echo', { with: 'strangers waiting' }), { with: 'strangers waiting' });
    t.equal(sup.stats.acceptedConnections, 1);
    t.equal(sup.stats.rejectedConnections, 101, 'the oldest stranger made room for the real child, and is counted');
  },
);
