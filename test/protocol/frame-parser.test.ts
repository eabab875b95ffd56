import t from 'tap';
import { FrameParser, MAX_HEADER_BYTES, MAX_JSON_DEPTH, ProcwireError } from '../../src/protocol/index.js';

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
  parser.push(
    Buffer.from(
      `content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH: ${body.length}\r\n\r\n${body}`,
    ),
  );
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
  t.throws(() => parser.push(Buffer.alloc(MAX_HEADER_BYTES, 'a')), {
    code: 'PROTOCOL_ERROR',
    message: /header longer than/,
  });
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

const rawFrame = (body: string | Buffer): Buffer =>
  Buffer.concat([Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`), Buffer.from(body)]);

t.test(
  `a body nested deeper than ${MAX_JSON_DEPTH} levels is a PROTOCOL_ERROR; one at the limit is accepted`,
  async (t) => {
    // The message object is level 1.
    const arrays = (levels: number): string =>
      `{"jsonrpc":"2.0","method":"x","params":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    const objects = (levels: number): string =>
      `{"jsonrpc":"2.0","method":"x","params":${'{"a":'.repeat(levels - 1)}1${'}'.repeat(levels - 1)}}`;
    const { parser, messages } = collect();
    parser.push(rawFrame(arrays(MAX_JSON_DEPTH)));
    parser.push(rawFrame(objects(MAX_JSON_DEPTH)));
    t.equal(messages.length, 2, `${MAX_JSON_DEPTH} levels pass`);
    for (const [what, body] of [
      ['arrays', arrays(MAX_JSON_DEPTH + 1)],
      ['objects', objects(MAX_JSON_DEPTH + 1)],
    ] as const) {
      const fresh = collect();
      t.throws(
        () => fresh.parser.push(rawFrame(body)),
        { code: 'PROTOCOL_ERROR', message: new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`) },
        what,
      );
      t.same(fresh.messages, []);
    }
    const split = collect();
    const bytes = rawFrame(objects(MAX_JSON_DEPTH + 1));
    split.parser.push(bytes.subarray(0, 40));
    t.throws(
      () => split.parser.push(bytes.subarray(40)),
      { code: 'PROTOCOL_ERROR' },
      'the same on the general path (a frame split over chunks)',
    );
  },
);

t.test('brackets, quotes and backslashes inside strings do not count as nesting', async (t) => {
  const text = `${'['.repeat(500)}\\"{{{ \\\\${'{'.repeat(500)}`;
  const message = { jsonrpc: '2.0', method: 'x', params: { text, list: [[['\\']]], 'key[[[': '"', tail: '\\' } };
  const { parser, messages } = collect();
  parser.push(frame(message));
  t.same(messages, [message]);
});

t.test('a frame of 8 million nested arrays (16 MB) is refused at once, not parsed', async (t) => {
  const depth = 8_000_000;
  const head = '{"jsonrpc":"2.0","method":"x","params":';
  const body = Buffer.alloc(head.length + 2 * depth + 1);
  body.write(head);
  body.fill('[', head.length, head.length + depth);
  body.fill(']', head.length + depth, head.length + 2 * depth);
  body.write('}', head.length + 2 * depth);
  const { parser } = collect(64 * 1024 * 1024);
  const bytes = rawFrame(body);
  const started = performance.now();
  t.throws(() => parser.push(bytes), { code: 'PROTOCOL_ERROR', message: /deeper than/ });
  const took = performance.now() - started;
  // JSON.parse of this body blocks for seconds; the scan stops at the first level too deep.
  t.ok(took < 200, `refused in ${took.toFixed(1)} ms`);
});
