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
const reserved = ['procwire/ready', 'procwire/port', 'procwire/diagnostics', 'procwire/log', 'procwire/heartbeat', 'procwire/hello', 'procwire/unknown'];

/** Hostile or broken input, as bytes: the shapes the issue names, each from its own generator. */
const hostile = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(fc.jsonValue(), fc.nat()).map(([value, cut]) => {
    const whole = frame(JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { value } }));
    return Buffer.from(whole.slice(0, cut % whole.length)); // truncated
  }),
  fc.integer({ min: 16 * 1024 * 1024 + 1, max: 2 ** 40 }).map((n) => Buffer.from(`Content-Length: ${n}\r\n\r\n{"jsonrpc":`)), // oversize
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
  fc.integer({ min: 100, max: 2000 }).map((n) => Buffer.from(frame('{"jsonrpc":"2.0","method":"noise","params":{}}').repeat(n))), // a flood of valid frames
);

t.test('fuzz before the handshake: every hostile connection is closed unanswered; an honest child keeps working', async (t) => {
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
      socket.on('connect', () => socket.write(bytes));
      await closed;
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
});

t.test('fuzz after the handshake: the offender is cut off with a typed error or keeps answering; nothing else is hurt', async (t) => {
  const sup = await startSupervisor(t, { frameTimeout: 300 });
  const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
  const scratch = mkdtempSync(join(tmpdir(), 'procwire-fuzz-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  let cases = 0;
  let closed = 0;
  await fc.assert(
    fc.asyncProperty(hostile, async (bytes) => {
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
      if (!('sendRequest' in spawned)) {
        // Cut off before it was even ready (the bytes came in the same read as its ready).
        closed++;
        return spawned.code === 'PROTOCOL_ERROR' || spawned.code === 'MESSAGE_TOO_LARGE';
      }
      const child = spawned;
      const outcome = await Promise.race([exited.then(() => 'closed'), child.sendRequest('ping', {}, { timeout: 5000 }).then(String, () => 'closed')]);
      if (outcome === 'closed') {
        closed++;
        await exited;
        // Cut off for cause, with the cause on the child's events.
        if (!errors.every((e) => e.code === 'PROTOCOL_ERROR' || e.code === 'MESSAGE_TOO_LARGE') || errors.length === 0) return false;
      } else if (outcome !== 'pong') {
        return false;
      }
      await child.stop();
      return true;
    }),
    { numRuns: 30 },
  );
  t.same(await honest.sendRequest('echo', { after: cases }), { after: cases }, 'the honest child never noticed');
  t.comment(`frames fuzzed after hello: ${cases}, connections cut off: ${closed}`);
  t.ok(closed > 0, 'some cases were cut off');
});
