import t from 'tap';
import fc from 'fast-check';
import { parseAnswer } from '../../src/control/parse-answer.js';

const answer = (head: string, body: Buffer | string = ''): Buffer =>
  Buffer.concat([Buffer.from(head), Buffer.from(body)]);

/** A body in chunked transfer coding, cut at `cuts`, with a chunk extension and a trailer. */
function chunked(body: Buffer, cuts: number[]): Buffer {
  const bounds = [...new Set([0, ...cuts.map((cut) => cut % (body.length + 1)), body.length])].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  for (let i = 1; i < bounds.length; i++) {
    const piece = body.subarray(bounds[i - 1], bounds[i]);
    if (piece.length === 0) continue;
    parts.push(Buffer.from(`${piece.length.toString(16)};ext=1\r\n`), piece, Buffer.from('\r\n'));
  }
  return Buffer.concat([...parts, Buffer.from('0\r\nx-trailer: 1\r\n\r\n')]);
}

t.test('a body framed by Content-Length, by chunks, or by the close', async (t) => {
  t.same(parseAnswer(answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', '{}')), {
    status: 200,
    body: Buffer.from('{}'),
  });
  t.same(parseAnswer(answer('HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\n', '{}extra')), {
    status: 404,
    body: Buffer.from('{}'),
  });
  t.same(parseAnswer(answer('HTTP/1.0 200 OK\r\n\r\n', 'until the close')), {
    status: 200,
    body: Buffer.from('until the close'),
  });
  t.same(parseAnswer(answer('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '3\r\nabc\r\n0\r\n\r\n')), {
    status: 200,
    body: Buffer.from('abc'),
  });
});

t.test('chunked bodies of any bytes, cut anywhere, come back whole', async () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
      const body = Buffer.from(bytes);
      const parsed = parseAnswer(
        Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n'), chunked(body, cuts)]),
      );
      return typeof parsed !== 'string' && parsed.body.equals(body);
    }),
  );
});

t.test('what is cut off or is not HTTP says so, never passes for a short body', async (t) => {
  t.match(parseAnswer(answer('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', '{"a"')), /cut off \(4 of 100 bytes\)/);
  t.match(parseAnswer(answer('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n', '10\r\nabc')), /cut off/);
  t.match(parseAnswer(answer('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n', '3\r\nabc\r\n')), /cut off/);
  t.match(parseAnswer(answer('HTTP/1.1 200 OK\r\nContent-Le')), /inside its headers/);
  t.match(parseAnswer(answer('SSH-2.0-OpenSSH\r\n\r\n')), /not an HTTP\/1\.1 answer/);
  t.match(parseAnswer(answer('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')), /bad Content-Length/);
  t.match(parseAnswer(answer('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n', 'zz\r\n')), /bad chunk size/);
});
