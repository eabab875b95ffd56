import t from 'tap';
import fc from 'fast-check';
import { createConnection } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ProcwireError } from '../../src/index.js';
import { nodeSpec, startSupervisor, within } from '../helpers/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const reserved = [
  'procwire/ready',
  'procwire/port',
  'procwire/diagnostics',
  'procwire/log',
  'procwire/heartbeat',
  'procwire/hello',
  'procwire/unknown',
];

/** Hostile or broken input, as bytes: the shapes the issue names, each from its own generator. */
const hostile = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(fc.jsonValue(), fc.nat()).map(([value, cut]) => {
    const whole = frame(JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { value } }));
    return Buffer.from(whole.slice(0, cut % whole.length)); // truncated
  }),
  fc
    .integer({ min: 16 * 1024 * 1024 + 1, max: 2 ** 40 })
    .map((n) => Buffer.from(`Content-Length: ${n}\r\n\r\n{"jsonrpc":`)), // oversize
  fc.string({ maxLength: 200 }).map((junk) => Buffer.from(frame(`{${junk}`))), // invalid JSON
  fc.tuple(fc.constantFrom(...reserved), fc.anything()).map(([method, params]) => {
    let body: string;
    try {
      body = JSON.stringify({ jsonrpc: '2.0', method, params }) ?? '{}';
    } catch {
      body = '{}';
    }
    return Buffer.from(frame(body)); // valid JSON-RPC, wrong types
  }),
  fc.integer({ min: 9 * 1024, max: 64 * 1024 }).map((n) => Buffer.from(`X-Padding: ${'a'.repeat(n)}`)), // a header line that never ends
  fc
    .integer({ min: 100, max: 2000 })
    .map((n) => Buffer.from(frame('{"jsonrpc":"2.0","method":"noise","params":{}}').repeat(n))), // a flood of valid frames
);

t.test(
  'fuzz before the handshake: every hostile connection is closed unanswered; an honest child keeps working',
  async (t) => {
    const sup = await startSupervisor(t, { connectTimeout: 300, frameTimeout: 300 });
    const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (bytes) => {
        cases++;
        const socket = createConnection(sup.address);
        socket.on('error', () => undefined);
        let answered = 0;
        socket.on('data', (chunk: Buffer) => (answered += chunk.length));
        // Not events.once: an EPIPE on a socket the parent already closed must not fail the case.
        const closed = new Promise((resolve) => socket.on('close', resolve));
        t.teardown(() => socket.destroy());
        socket.on('connect', () => socket.write(bytes));
        await within(closed, 'the parent to close a hostile connection before its hello');
        return answered === 0;
      }),
      { numRuns: 80 },
    );
    t.equal(sup.stats.rejectedConnections, cases, `all ${cases} refused and counted`);
    t.same(await honest.sendRequest('echo', { still: 'here' }), { still: 'here' });
    gc();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    t.ok(grown < 32 * 1024 * 1024, `heap grew by ${Math.round(grown / 1024)} KiB over ${cases} cases`);
    t.comment(`frames fuzzed before hello: ${cases}`);
  },
);

/**
 * Input after the handshake, by class, with what the parent must do with it: cut the child off
 * with that error code on its events, or keep answering it.
 */
const afterHandshake: {
  name: string;
  expect: 'PROTOCOL_ERROR' | 'MESSAGE_TOO_LARGE' | 'answers';
  bytes: fc.Arbitrary<Buffer>;
}[] = [
  {
    name: 'random bytes',
    expect: 'PROTOCOL_ERROR',
    bytes: fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((b) => Buffer.from(b)),
  },
  {
    name: 'a truncated frame',
    expect: 'PROTOCOL_ERROR',
    bytes: fc.tuple(fc.jsonValue(), fc.nat()).map(([value, cut]) => {
      const whole = frame(JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { value } }));
      return Buffer.from(whole.slice(0, 1 + (cut % (whole.length - 1))));
    }),
  },
  {
    name: 'an oversize frame',
    expect: 'MESSAGE_TOO_LARGE',
    bytes: fc
      .integer({ min: 16 * 1024 * 1024 + 1, max: 2 ** 40 })
      .map((n) => Buffer.from(`Content-Length: ${n}\r\n\r\n{"jsonrpc":`)),
  },
  {
    name: 'a frame of invalid JSON',
    expect: 'PROTOCOL_ERROR',
    bytes: fc.string({ maxLength: 200 }).map((junk) => Buffer.from(frame(`{,${junk}`))),
  },
  {
    name: 'a reserved method with params of the wrong shape',
    expect: 'PROTOCOL_ERROR',
    bytes: fc
      .tuple(
        fc.constantFrom('procwire/port', 'procwire/diagnostics', 'procwire/log', 'procwire/hello', 'procwire/unknown'),
        fc.jsonValue(),
      )
      .map(([method, params]) => Buffer.from(frame(JSON.stringify({ jsonrpc: '2.0', method, params })))),
  },
  {
    name: 'a header line that never ends',
    expect: 'PROTOCOL_ERROR',
    bytes: fc.integer({ min: 9 * 1024, max: 64 * 1024 }).map((n) => Buffer.from(`X-Padding: ${'a'.repeat(n)}`)),
  },
  {
    name: 'a reserved notification whose params are not read (ready, heartbeat)',
    expect: 'answers',
    bytes: fc
      .tuple(fc.constantFrom('procwire/ready', 'procwire/heartbeat'), fc.jsonValue())
      .map(([method, params]) => Buffer.from(frame(JSON.stringify({ jsonrpc: '2.0', method, params })))),
  },
  {
    name: 'a flood of valid frames',
    expect: 'answers',
    bytes: fc
      .integer({ min: 100, max: 2000 })
      .map((n) => Buffer.from(frame('{"jsonrpc":"2.0","method":"noise","params":{}}').repeat(n))),
  },
];

t.test(
  'fuzz after the handshake: each class of input gets its own answer (cut off with its error code, or still answered); nothing else is hurt',
  async (t) => {
    const sup = await startSupervisor(t, { frameTimeout: 300 });
    const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
    const scratch = mkdtempSync(join(tmpdir(), 'procwire-fuzz-'));
    t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
    let cases = 0;
    /** What became of a child that wrote `bytes` right after its ready: its error code, or 'answers'. */
    const outcomeOf = async (bytes: Buffer): Promise<string> => {
      const id = `fuzz-${cases++}`;
      const errors: ProcwireError[] = [];
      let exited!: Promise<unknown>;
      sup.once('child', (child) => {
        child.on('protocol-error', (error) => errors.push(error));
        exited = within(once(child, 'exit'), `${id} to exit`);
      });
      // A file, not an environment variable: the kernel caps one variable at 128 KiB.
      const payload = join(scratch, id);
      writeFileSync(payload, bytes);
      const spawned = await sup
        .spawn(nodeSpec(id, 'fuzz-client.cjs', { env: { FUZZ_FILE: payload }, restart: 'never', stopTimeout: 500 }))
        .then(
          (child) => child,
          (error: ProcwireError) => error,
        );
      // Cut off before it was even ready: the bytes came in the same read as its ready.
      if (!('sendRequest' in spawned)) return spawned.code;
      const answer = await Promise.race([
        exited.then(() => 'closed'),
        spawned.sendRequest('ping', {}, { timeout: 20_000 }).then(String, () => 'closed'),
      ]);
      if (answer === 'pong') {
        await spawned.stop();
        return errors.length === 0 ? 'answers' : `answers, yet ${errors[0]?.code}`;
      }
      await exited;
      const codes = [...new Set(errors.map((error) => error.code))];
      return codes.length === 1 ? (codes[0] as string) : `closed with ${codes.join(', ') || 'no error event'}`;
    };
    for (const kind of afterHandshake) {
      const seen: string[] = [];
      // fc.check rather than fc.assert: a failing case is reported by its outcome, not by a
      // counterexample that can be megabytes of bytes.
      const details = await fc.check(
        fc.asyncProperty(kind.bytes, async (bytes) => {
          const outcome = await outcomeOf(bytes);
          seen.push(outcome);
          return outcome === kind.expect;
        }),
        { numRuns: 4, endOnFailure: true },
      );
      t.same(
        seen.filter((outcome) => outcome !== kind.expect),
        [],
        `${kind.name}: ${kind.expect === 'answers' ? 'the child still answers' : `cut off with ${kind.expect}`} (${seen.length} cases${details.failed ? `, seed ${details.seed}` : ''})`,
      );
    }
    t.same(await honest.sendRequest('echo', { after: cases }), { after: cases }, 'the honest child never noticed');
    t.comment(`frames fuzzed after hello: ${cases}`);
  },
);
