import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlRequestError, requestJson } from '../../src/control/client.js';

/** A socket server that answers every connection with `answer` and then closes it; gone at teardown. */
async function answering(t: Test, answer: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-client-'));
  const path = join(dir, 'c.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.end(answer));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  return path;
}

t.test(
  'an answer cut off before its end rejects with a ControlRequestError (status 0), never resolves short',
  async (t) => {
    const path = await answering(
      t,
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a"',
    );
    const error = await requestJson(path, 'GET', '/api/children').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    t.ok(error instanceof ControlRequestError, `a ControlRequestError: ${String(error)}`);
    t.match(error, { status: 0, message: /cut off/ });
  },
);

t.test('a whole answer resolves with its JSON', async (t) => {
  const body = JSON.stringify({ children: [] });
  const path = await answering(t, `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
  t.same(await requestJson(path, 'GET', '/api/children'), { children: [] });
});
