import t from 'tap';
import { once } from 'node:events';
import { nodeSpec, startSupervisor } from '../helpers/index.js';

// Every message a child sends waits in the parent's JSON-RPC queue until it is handled, one
// per event-loop turn. Without backpressure the parent reads a whole socket chunk (about a
// thousand small frames) per turn and handles one, so a flooding child grows the parent's
// memory without bound; with it, the parent stops reading and the child's writes wait.
t.test('a flooding child is paused: it cannot get far ahead of what the parent has handled', async (t) => {
  const sup = await startSupervisor(t);
  const total = 100_000;
  const flooder = await sup.spawn(
    nodeSpec('flooder', 'floods-notifications.cjs', { args: [String(total)], restart: 'never', stopTimeout: 200 }),
  );
  let handled = 0;
  flooder.onNotification('flood/tick', () => {
    handled++;
  });
  const [line] = (await once(flooder, 'stdout')) as [string];
  const { sent } = JSON.parse(line) as { sent: number };
  const ahead = sent - handled;
  t.equal(sent, total, 'the child wrote everything in the end');
  // Paused at 1,024 queued messages; what else can be in flight is the socket chunk being
  // parsed, Node's read buffer and the kernel's socket buffers: a few thousand small frames.
  t.ok(
    ahead < 20_000,
    `when the child had written all ${sent} notifications, the parent had handled ${handled} (${ahead} behind)`,
  );
  const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
  t.same(await honest.sendRequest('echo', { ok: 1 }), { ok: 1 }, 'another child is served meanwhile');
});

// Backpressure must not turn a burst into an error: the child's SDK pauses its reading too,
// so most of a burst waits in the parent's writer, below the writeBacklog cap.
t.test(
  'a burst of 20,000 notifications to an SDK child, answered one for one, arrives whole and in order',
  async (t) => {
    const sup = await startSupervisor(t);
    const child = await sup.spawn(nodeSpec('echoer', 'ready-and-echo.cjs'));
    const errors: string[] = [];
    child.on('protocol-error', (error) => errors.push(error.message));
    const total = 20_000;
    const seen: number[] = [];
    const all = new Promise<void>((resolve) =>
      child.onNotification('pong', ({ n }: { n: number }) => {
        seen.push(n);
        if (seen.length === total) resolve();
      }),
    );
    // Not awaited one by one: a burst, as a file watcher after a checkout would send it.
    const sends = Array.from({ length: total }, (_, n) => child.sendNotification('ping', { n }));
    await Promise.all(sends);
    await all;
    t.ok(
      seen.every((n, i) => n === i),
      'every pong, in order',
    );
    t.same(errors, [], 'no protocol error');
    t.ok(child.connected);
  },
);
