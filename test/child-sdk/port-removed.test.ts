import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerPath, type PortInfo } from '../../src/index.js';
import { FrameParser } from '../../src/protocol/wire/frame-parser.js';
import {
  exitOf,
  firstLine,
  fixture,
  recordOutput,
  spawnTracked,
  startSupervisor,
  until,
  within,
} from '../helpers/index.js';

// A port that closes leaves the parent's view (procwire/port-removed), and a child never sends
// that message to a parent that does not list it in its hello answer's features.

/** The child's port events in order, as "port name port" and "removed name port". */
function portEvents(child: { on(event: string, listener: (port: PortInfo) => void): unknown }): string[] {
  const events: string[] = [];
  child.on('port', (port) => events.push(`port ${port.name} ${port.port}`));
  child.on('port-removed', (port) => events.push(`removed ${port.name} ${port.port}`));
  return events;
}

t.test('under the preload, a replaced server keeps its name and a closed one is removed', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn({
    id: 'vite-like',
    command: process.execPath,
    args: ['--require', registerPath, fixture('replaces-its-server.cjs')],
  });
  const events = portEvents(child);
  const first = await child.waitForPort('port-1', { timeout: '5s' });
  const removed = new Promise((resolve) => child.once('port-removed', resolve));
  t.equal(await (await fetch(`http://127.0.0.1:${first.port}/replace`)).text(), '/replace');
  await within(removed, 'the replaced server to be removed');
  const second = await child.waitForPort('port-1', { timeout: '5s' });
  t.equal(await (await fetch(`http://127.0.0.1:${second.port}/`)).text(), '/', 'the new server under the same name');
  t.same(events.slice(0, 2), [`removed port-1 ${first.port}`, `port port-1 ${second.port}`]);
  const gone = new Promise((resolve) => child.once('port-removed', resolve));
  await (await fetch(`http://127.0.0.1:${second.port}/close`)).text();
  await within(gone, 'the closed server to be removed');
  t.same([...child.ports.keys()], [], 'no port is left');
  t.equal(child.state.kind, 'running', 'the app still runs');
});

t.test('removePort reaches a parent that takes it, and resolves true', async (t) => {
  const sup = await startSupervisor(t);
  const { stdout } = recordOutput(sup);
  const child = await sup.spawn({ id: 'sdk', command: process.execPath, args: [fixture('removes-its-port.cjs')] });
  await child.waitForPort('after', { timeout: '5s' });
  t.same([...child.ports.keys()], ['after'], '"http" was removed');
  await until(() => stdout.length > 0, 5000, 'its line');
  t.same(stdout, ['removed: true']);
});

t.test('against a parent older than procwire/port-removed, removePort sends nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-old-parent-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 's.sock');
  const methods: string[] = [];
  let saidReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    saidReady = resolve;
  });
  // The hello answer of protocol 1 before features: no `features`.
  const old = createServer((socket) => {
    socket.on('error', () => undefined);
    const parser = new FrameParser(1 << 20, (message) => {
      const { id, method } = message as { id?: number | string; method: string };
      methods.push(method);
      if (method === 'procwire/ready') saidReady();
      if (method !== 'procwire/hello') return;
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id,
        result: { protocol: 1, parentPid: process.pid, heartbeatMs: 0 },
      });
      socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    socket.on('data', (chunk: Buffer) => parser.push(chunk));
  });
  await within(new Promise<void>((resolve) => old.listen(path, resolve)), 'the old parent to listen');
  t.teardown(() => new Promise((resolve) => old.close(resolve)));
  const child = spawnTracked(t, process.execPath, [fixture('removes-its-port.cjs')], {
    ...process.env,
    PROCWIRE_SOCKET: path,
    PROCWIRE_ID: 'sdk',
    PROCWIRE_TOKEN: 'f'.repeat(64),
  });
  t.equal(await firstLine(child.stdout!), 'removed: false');
  await within(ready, 'the child to say ready');
  t.same(methods, ['procwire/hello', 'procwire/port', 'procwire/port', 'procwire/ready'], 'no port-removed');
  child.kill('SIGTERM');
  await exitOf(child);
});
