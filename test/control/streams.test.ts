import t from 'tap';
import { connect } from 'node:net';
import { nodeSpec, until } from '../helpers/index.js';
import { data, openEvents, serveControl } from './control-helpers.js';

// Prints `count` lines of `size` characters as fast as stdout takes them, then idles.
const printer = (count: number, size: number): string =>
  `const line = 'x'.repeat(${size}); let n = 0;
   const more = () => { while (n < ${count}) { n++; if (!process.stdout.write(line + '\\n')) return process.stdout.once('drain', more); } };
   more(); setInterval(() => {}, 1000);`;

t.test('a client that does not read its event stream is dropped; one that reads is not', async (t) => {
  // 1 MiB: far below the 5 MB the stalled client leaves unread (less what the kernel's socket
  // buffers take), and room enough for a reader that is slow on a loaded machine but reads.
  const { sup, path, handler } = await serveControl(t, { maxStreamBuffer: 1024 * 1024 });
  const reader = await openEvents(t, path, 'types=output');
  const stalled = connect(path);
  t.teardown(() => stalled.destroy());
  await new Promise<void>((resolve) => stalled.once('connect', resolve));
  stalled.write('GET /api/events?types=output HTTP/1.1\r\nHost: procwire\r\n\r\n');
  // It reads the headers, then nothing more: the kernel's buffers fill, then the server's.
  await new Promise<void>((resolve) => stalled.once('data', () => resolve()));
  stalled.pause();
  await until(() => handler.stats.streams === 2, 20_000, 'both streams to be open');
  await sup.spawn({ id: 'loud', command: process.execPath, args: ['-e', printer(5000, 1000)], connect: 'none' });
  await until(() => handler.stats.dropped === 1, 20_000, 'the stalled client to be dropped');
  t.equal(handler.stats.streams, 1, 'the reader stays');
  await until(() => reader.messages.length === 5000, 20_000, 'the reader to get every line');
  t.ok(
    reader.messages.every((m) => data(m).line.text.length === 1000),
    'whole lines',
  );
  t.equal(handler.stats.dropped, 1, 'only the stalled client was dropped');
});

t.test('200 concurrent event streams each get a state change', async (t) => {
  const { sup, path, handler } = await serveControl(t);
  const web = await sup.spawn(nodeSpec('web', 'reports-http-port.cjs'));
  const clients = await Promise.all(Array.from({ length: 200 }, () => openEvents(t, path, 'types=state')));
  t.equal(handler.stats.streams, 200);
  await web.restart();
  await Promise.all(
    clients.map((client, i) => client.next(`client ${i} to see web running`, (m) => data(m).child.state === 'running')),
  );
  t.ok(
    clients.every((client) => client.messages.length === 5),
    'each saw the restart’s 5 changes',
  );
  for (const client of clients) client.close();
  await until(() => handler.stats.streams === 0, 20_000, 'the server to notice every client left');
  t.equal(handler.stats.dropped, 0);
});

t.test('close() ends every stream from the server side', async (t) => {
  const { path, handler } = await serveControl(t);
  const events = await openEvents(t, path);
  await events.next('the snapshot', (m) => m.event === 'snapshot');
  handler.close();
  await events.ended;
  t.equal(handler.stats.streams, 0);
});
