import t from 'tap';
import { FrameParser, MAX_HEADER_BYTES, ProcwireError } from '../../src/protocol/index.js';

const frame = (message: unknown): Buffer => {
  const body = JSON.stringify(message);
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, 'utf8');
};

function collect(max = 1024 * 1024): { parser: FrameParser; messages: object[] } {
  const messages: object[] = [];
  return { parser: new FrameParser(max, (m) => messages.push(m)), messages };
}

// A request with multi-byte characters, a notification without params, a response.
const SAMPLE = [
  { jsonrpc: '2.0', id: 1, method: 'a', params: { text: 'héllo ✓ 𝄞' } },
  { jsonrpc: '2.0', method: 'b' },
  { jsonrpc: '2.0', id: 2, result: [1, 2, 3] },
];

t.test('several frames in one chunk and one frame byte by byte decode the same', async (t) => {
  const messages = SAMPLE;
  const bytes = Buffer.concat(messages.map(frame));
  const whole = collect();
  whole.parser.push(bytes);
  t.same(whole.messages, messages);
  const trickle = collect();
  for (let i = 0; i < bytes.length; i++) trickle.parser.push(bytes.subarray(i, i + 1));
  t.same(trickle.messages, messages, 'split multi-byte characters and headers are reassembled');
  t.equal(trickle.parser.hasPartialFrame, false);
});

t.test('extra headers such as Content-Type are accepted, in any case', async (t) => {
  const { parser, messages } = collect();
  const body = '{"jsonrpc":"2.0","method":"x"}';
  parser.push(Buffer.from(`content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH: ${body.length}\r\n\r\n${body}`));
  t.same(messages, [{ jsonrpc: '2.0', method: 'x' }]);
});

t.test('a declared length over the cap is refused from the header, before the body arrives', async (t) => {
  const { parser, messages } = collect(1024);
  const error = (() => {
    try {
      parser.push(Buffer.from('Content-Length: 1025\r\n\r\n'));
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(error instanceof ProcwireError);
  t.equal((error as ProcwireError).code, 'MESSAGE_TOO_LARGE');
  t.match((error as ProcwireError).message, /1025 bytes exceeds maxMessageSize \(1024 bytes\)/);
  t.same(messages, []);
});

t.test('a frame exactly at the cap is accepted', async (t) => {
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { pad: 'y'.repeat(100) } });
  const { parser, messages } = collect(Buffer.byteLength(body));
  parser.push(Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`));
  t.equal(messages.length, 1);
});

const broken: [string, string, RegExp][] = [
  ['no Content-Length', 'Content-Type: x\r\n\r\n{}', /no Content-Length/],
  ['a header line that is not a header', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', /malformed frame header/],
  ['invalid JSON', 'Content-Length: 5\r\n\r\n{oops', /not valid JSON/],
  ['a JSON array (batches are not supported)', 'Content-Length: 2\r\n\r\n[]', /not a JSON-RPC message object/],
  ['a JSON string', 'Content-Length: 4\r\n\r\n"hi"', /not a JSON-RPC message object/],
  ['two Content-Length headers', 'Content-Length: 2\r\nContent-Length: 5\r\n\r\n{}', /more than one Content-Length/],
  ['a negative length', 'Content-Length: -1\r\n\r\n', /invalid Content-Length/],
];
for (const [what, input, message] of broken) {
  t.test(`${what} is a PROTOCOL_ERROR`, async (t) => {
    const { parser } = collect();
    t.throws(() => parser.push(Buffer.from(input)), { code: 'PROTOCOL_ERROR', message });
  });
}

t.test('a header that never ends is refused once it passes the header cap', async (t) => {
  const { parser } = collect();
  parser.push(Buffer.from('X-Padding: '));
  t.throws(() => parser.push(Buffer.alloc(MAX_HEADER_BYTES, 'a')), { code: 'PROTOCOL_ERROR', message: /header longer than/ });
});

t.test('every split of a stream of frames decodes to the same messages, on the fast path or not', async (t) => {
  const messages = SAMPLE;
  const bytes = Buffer.concat(messages.map(frame));
  for (let first = 1; first < bytes.length; first++) {
    for (const second of [first + 1, Math.floor((first + bytes.length) / 2), bytes.length]) {
      if (second <= first || second > bytes.length) continue;
      const { parser, messages: got } = collect();
      parser.push(bytes.subarray(0, first));
      parser.push(bytes.subarray(first, second));
      if (second < bytes.length) parser.push(bytes.subarray(second));
      if (JSON.stringify(got) !== JSON.stringify(messages) || parser.hasPartialFrame) {
        t.fail(`split at ${first} and ${second} decoded ${JSON.stringify(got)}`);
        return;
      }
    }
  }
  t.pass('all splits agree');
});

t.test('a header that arrived without its body counts as a partial frame', async (t) => {
  const { parser, messages } = collect();
  const whole = frame({ jsonrpc: '2.0', method: 'x' });
  const headerEnd = whole.indexOf('\r\n\r\n') + 4;
  parser.push(whole.subarray(0, headerEnd));
  t.equal(parser.hasPartialFrame, true, 'so a stalled body is caught by the frame deadline');
  parser.push(whole.subarray(headerEnd));
  t.same(messages, [{ jsonrpc: '2.0', method: 'x' }]);
  t.equal(parser.hasPartialFrame, false);
});
