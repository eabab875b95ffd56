import t from 'tap';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameParser, FrameWriter, ProcwireError } from '../../src/protocol/index.js';
import { within } from '../helpers/index.js';

/** Two ends of a real Unix socket; closed when the test ends. */
async function socketPair(t: { teardown(fn: () => unknown): void }): Promise<{ writing: Socket; reading: Socket }> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-writer-'));
  const server = createServer();
  server.listen(join(dir, 's.sock'));
  await within(once(server, 'listening'), 'the test server to listen');
  const writing = createConnection(join(dir, 's.sock'));
  const [reading] = (await within(once(server, 'connection'), 'the test server to accept')) as [Socket];
  await within(once(writing, 'connect'), 'the client socket to connect');
  t.teardown(() => {
    writing.destroy();
    reading.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { writing, reading };
}

/** Collects every message the reading end gets. */
function collect(reading: Socket): object[] {
  const messages: object[] = [];
  const parser = new FrameParser(64 * 1024 * 1024, (message) => messages.push(message));
  reading.on('data', (chunk: Buffer) => parser.push(chunk));
  return messages;
}

// ~20 KiB each: a few fill the socket's buffer, so most of the burst is backlogged.
const big = (n: number): object => ({ jsonrpc: '2.0', method: 'm', params: { n, pad: 'x'.repeat(20_000) } });

/** A writer that has written `count` big messages to a peer that is not reading. */
async function backlogged(
  t: { ok(value: unknown, message: string): void; teardown(fn: () => unknown): void },
  count: number,
) {
  const { writing, reading } = await socketPair(t);
  reading.pause();
  const writer = new FrameWriter(writing);
  const writes = Array.from({ length: count }, (_, n) => writer.write(big(n)));
  t.ok(writing.writableNeedDrain, 'the messages outran the socket');
  return { writing, reading, writer, writes };
}

t.test('a burst to a peer that is not reading arrives whole and in order, in fewer writes than messages', async (t) => {
  const { writing, reading } = await socketPair(t);
  reading.pause();
  let writes = 0;
  const write = writing.write.bind(writing) as (chunk: string) => boolean;
  writing.write = ((chunk: string) => {
    writes++;
    return write(chunk);
  }) as typeof writing.write;
  const writer = new FrameWriter(writing);
  const count = 300;
  const written = Array.from({ length: count }, (_, n) => writer.write(big(n)));
  t.ok(writing.writableNeedDrain, 'the burst outran the socket');
  const messages = collect(reading);
  reading.resume();
  await Promise.all(written);
  while (messages.length < count) await within(once(reading, 'data'), `message ${messages.length + 1} of ${count}`);
  t.same(
    messages.map((m) => (m as { params: { n: number } }).params.n),
    Array.from({ length: count }, (_, n) => n),
    'each message once, in order',
  );
  t.ok(writes < count / 2, `backlogged messages went out in batches (${writes} writes for ${count} messages)`);
});

t.test('a message that cannot be serialised rejects its own write and no other', async (t) => {
  const { reading, writer, writes: before } = await backlogged(t, 50);
  const bad = writer.write({ jsonrpc: '2.0', method: 'm', params: { n: 10n } });
  const after = writer.write(big(50));
  const messages = collect(reading);
  reading.resume();
  await t.rejects(bad, TypeError, 'JSON.stringify refuses a BigInt');
  await Promise.all([...before, after]);
  while (messages.length < 51) await within(once(reading, 'data'), `message ${messages.length + 1} of 51`);
  t.equal(messages.length, 51);
  t.equal((messages[50] as { params: { n: number } }).params.n, 50, 'the message after the bad one still went');
});

t.test('messages still waiting when the socket closes reject with CONNECTION_CLOSED', async (t) => {
  const { writing, writer, writes } = await backlogged(t, 100);
  writing.destroy();
  writer.abandon();
  const outcomes = await Promise.allSettled(writes);
  const last = outcomes.at(-1);
  t.ok(
    last?.status === 'rejected' && last.reason instanceof ProcwireError && last.reason.code === 'CONNECTION_CLOSED',
    'the last write was not sent and says so',
  );
  t.equal(outcomes[0]?.status, 'fulfilled', 'the first went out before the socket filled');
});

t.test('flushAll sends the backlog before an end, so the peer reads every message then the end', async (t) => {
  const { writing, reading, writer, writes } = await backlogged(t, 100);
  writer.flushAll();
  writing.end();
  const messages = collect(reading);
  const ended = within(once(reading, 'end'), 'the end of the stream');
  reading.resume();
  await Promise.all(writes);
  await ended;
  t.equal(messages.length, 100, 'nothing was lost to the end');
});
