import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLine, fixture, nextEvent, nodeSpec, startSupervisor, within } from '../helpers/index.js';

/** Connects to a Unix socket; resolves with the socket, or with the error code it failed with. */
function tryConnect(path: string): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

// Linux refuses a connect to a full Unix accept queue with EAGAIN; that is the case the retry is for.
const linuxOnly = {
  skip: process.platform !== 'linux' && 'a full Unix accept queue fails a connect with EAGAIN on Linux',
};

t.test(
  'the SDK retries a connect refused with EAGAIN (the accept queue is full) and gets through once there is room',
  linuxOnly,
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'procwire-eagain-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const gatePath = join(dir, 'full.sock');
    const dialPath = join(dir, 'dial.sock');

    // A listener that never accepts, with a tiny queue: fill it until the kernel refuses.
    const gate = spawn(process.execPath, [fixture('listens-never-accepts.cjs'), gatePath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.teardown(() => {
      if (gate.exitCode === null && gate.signalCode === null) gate.kill('SIGKILL');
    });
    t.equal(await within(firstLine(gate.stdout), 'the never-accepting listener to listen'), 'listening');
    const queued: Socket[] = [];
    t.teardown(() => queued.forEach((socket) => socket.destroy()));
    let refusal: string | undefined;
    for (let i = 0; i < 16 && refusal === undefined; i++) {
      const outcome = await tryConnect(gatePath);
      if (typeof outcome === 'string') refusal = outcome;
      else queued.push(outcome);
    }
    t.equal(
      refusal,
      'EAGAIN',
      `the accept queue is full after ${queued.length} connections: a connect now fails at once with EAGAIN`,
    );

    // The child dials a symlink to the full queue; once it has been refused, the link is
    // swapped to the real supervisor (as room appears in a real queue).
    symlinkSync(gatePath, dialPath);
    const sup = await startSupervisor(t);
    let dialed!: Promise<unknown[]>;
    sup.once(
      'child',
      (child) =>
        (dialed = nextEvent(child, 'stdout', 'the child to make its first connect attempt', {
          filter: (line) => line === 'dialed',
        })),
    );
    const spawning = sup.spawn(
      nodeSpec('patient', 'dials-given-socket.cjs', {
        env: { DIAL_SOCKET: dialPath },
        restart: 'never',
        readyTimeout: 10_000,
      }),
    );
    await dialed;
    // connect() made its first attempt synchronously, before printing: against a full queue.
    t.equal(await tryConnect(dialPath), 'EAGAIN', 'the queue the child dialed was still full after its first attempt');
    symlinkSync(sup.address, `${dialPath}.next`);
    renameSync(`${dialPath}.next`, dialPath);
    const child = await within(spawning, 'the child to connect after the retry and say ready');
    t.equal(child.state.kind, 'running', 'it connected and is ready instead of failing at once');
    t.equal(sup.stats.acceptedConnections, 1);
    t.equal(gate.exitCode, null, 'the full queue was never drained: the listener is still blocked');
  },
);
