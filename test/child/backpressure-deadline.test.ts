import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcwireError } from '../../src/index.js';
import { nodeSpec, startSupervisor } from '../helpers/index.js';

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

t.test("time the parent's own backpressure holds a half-read frame does not count against frameTimeout", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-deadline-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // 2,500 small notifications in one write: the socket's chunks split frames, and the parent
  // pauses the socket once more than 1,024 wait, most likely with half a frame read.
  const flood = join(dir, 'flood');
  writeFileSync(flood, frame('{"jsonrpc":"2.0","method":"noise","params":{}}').repeat(2500));
  const sup = await startSupervisor(t, { frameTimeout: 200 });
  const errors: ProcwireError[] = [];
  sup.on('child', (child) => {
    child.on('protocol-error', (error) => errors.push(error));
    // A slow handler: the queue drains at about 1,200 a second, so the socket stays paused
    // (until 512 have been handled) for about 400 ms, past the 200 ms a stalled frame is allowed.
    child.onNotification('noise', () => {
      const until = performance.now() + 0.8;
      while (performance.now() < until);
    });
  });
  const child = await sup.spawn(
    nodeSpec('flooder', 'fuzz-client.cjs', { env: { FUZZ_FILE: flood }, restart: 'never', stopTimeout: 200 }),
  );
  t.equal(await child.sendRequest('ping', {}, { timeout: 20_000 }), 'pong', 'the child still answers after its flood');
  t.same(
    errors.map((error) => error.message),
    [],
    'no protocol error: a frame waiting on our own backpressure is not a stalled peer',
  );
});
