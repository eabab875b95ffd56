import t from 'tap';
import { createConnection } from 'node:net';
import { once } from 'node:events';
import { Endpoint } from '../../src/endpoint/index.js';
import { within } from '../helpers/index.js';

// A child that outlives its stop (an indeterminate one: a process Windows could not end, or
// one stuck in the kernel) keeps its connection open. Closing the endpoint must not wait for
// it, or sup.shutdown() would hang for as long as that process lives.
t.test('close ends an admitted connection that its peer keeps open, and resolves', async (t) => {
  const endpoint = await Endpoint.listen({ connectTimeoutMs: 5000, maxMessageSize: 1 << 20, frameTimeoutMs: 30_000 });
  t.teardown(() => endpoint.close());
  const token = 'a'.repeat(64);
  const expected = endpoint.expect('held', token, 0);
  const peer = createConnection(endpoint.address);
  t.teardown(() => peer.destroy());
  peer.on('error', () => undefined);
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'procwire/hello',
    params: { protocol: 1, id: 'held', token, pid: process.pid },
  });
  peer.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  peer.resume();
  await within(expected.connected, 'the hello to be admitted');
  const peerClosed = once(peer, 'close');
  await within(endpoint.close(), 'endpoint.close() while the peer holds its connection open');
  await within(peerClosed, 'the held connection to be closed by the parent');
  t.pass('close resolved, and the connection its peer held open was ended');
});
