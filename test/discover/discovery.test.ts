import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import type { Child, PortInfo } from '../../src/index.js';
import { EVENT_WAIT_MS, fixture, nextEvent, startSupervisor, within } from '../helpers/index.js';

// Real servers that know nothing of procwire, under `ports: 'auto'` (the default for connect: 'none').
// One supervisor runs them side by side so the file takes seconds.

const linux = process.platform === 'linux';
const server = fixture('plain-server.cjs');
const linuxOnly = linux ? {} : { skip: 'port discovery is tested on Linux (/proc); macOS uses lsof' };

/** A line of the child's stdout that matches, from now on (or already printed lines are missed: attach first). */
function lineOf(child: Child, pattern: RegExp): Promise<RegExpExecArray> {
  return within(
    new Promise((resolve) => {
      const listener = (line: string): void => {
        const match = pattern.exec(line);
        if (!match) return;
        child.off('stdout', listener);
        resolve(match);
      };
      child.on('stdout', listener);
    }),
    `a line of "${child.id}" matching ${pattern}`,
  );
}

function hasIPv6Loopback(): boolean {
  try {
    return readFileSync('/proc/net/if_inet6', 'utf8').includes('00000000000000000000000000000001');
  } catch {
    return false;
  }
}

t.test(
  'ports found by the OS: python http.server, a Node server, a grandchild behind sh -c, one that closes',
  linuxOnly,
  async (t) => {
    const sup = await startSupervisor(t);
    const printed = new Map<string, Promise<RegExpExecArray>>();
    sup.on('child', (child) => {
      printed.set(child.id, lineOf(child, /(?:port |listening )(\d+)/));
    });
    const [python, node, wrapped, closing] = await Promise.all([
      sup.spawn({
        id: 'python',
        command: 'python3',
        args: ['-m', 'http.server', '0'],
        env: { PYTHONUNBUFFERED: '1' },
        connect: 'none',
      }),
      sup.spawn({ id: 'node', command: process.execPath, args: [server], connect: 'none', portNames: ['web'] }),
      sup.spawn({
        id: 'wrapped',
        command: 'sh',
        // `; true` keeps the shell alive, so the server is its child, not the shell exec'd.
        args: ['-c', `"${process.execPath}" "${server}"; true`],
        connect: 'none',
      }),
      sup.spawn({ id: 'closing', command: process.execPath, args: [server, '--usr2', 'close'], connect: 'none' }),
    ]);

    const pythonPort = await python.waitForPort('port-1', { timeout: EVENT_WAIT_MS });
    const pythonPrinted = Number((await (printed.get('python') as Promise<RegExpExecArray>))[1]);
    t.equal(pythonPort.port, pythonPrinted, 'the port python printed is the one discovered');
    t.same(
      pythonPort,
      { name: 'port-1', port: pythonPrinted, host: '127.0.0.1', source: 'os' },
      'unspecified address as 127.0.0.1',
    );

    const web = await node.waitForPort('web', { timeout: EVENT_WAIT_MS });
    t.equal(web.port, Number((await (printed.get('node') as Promise<RegExpExecArray>))[1]), 'a name from portNames');
    t.equal(web.source, 'os');

    const inner = await wrapped.waitForPort('port-1', { timeout: EVENT_WAIT_MS });
    t.equal(
      inner.port,
      Number((await (printed.get('wrapped') as Promise<RegExpExecArray>))[1]),
      "the grandchild's port",
    );

    const open = await closing.waitForPort('port-1', { timeout: EVENT_WAIT_MS });
    const removed = nextEvent<[PortInfo]>(closing, 'port-removed', 'the closed port to be removed');
    await closing.signal('SIGUSR2');
    const [gone] = await removed;
    t.same(gone, open, 'the closed port is removed');
    t.equal(closing.ports.size, 0);
    t.equal(closing.state.kind, 'running', 'the process still runs');

    await wrapped.stop();
    t.equal(wrapped.ports.size, 0, 'ports go with the process');
  },
);

const ipv6 = !linux
  ? linuxOnly
  : hasIPv6Loopback()
    ? {}
    : { skip: 'this machine has no IPv6 loopback (::1 is not in /proc/net/if_inet6)' };

t.test('an IPv6-only listener is found with its address', ipv6, async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn({
    id: 'v6',
    command: process.execPath,
    args: [server, '--host', '::1'],
    connect: 'none',
  });
  const port = await child.waitForPort('port-1', { timeout: EVENT_WAIT_MS });
  t.equal(port.host, '::1');
  t.ok(existsSync('/proc/net/tcp6'));
});

t.test("ports: 'off' and 'sdk' find nothing; a bad portNames is a TypeError", async (t) => {
  const sup = await startSupervisor(t);
  t.throws(
    () => sup.spawn({ id: 'bad', command: 'true', connect: 'none', portNames: ['port-1'] }),
    /spec\.portNames of child "bad" must be distinct names .*got "port-1"/,
  );
  t.throws(() => sup.spawn({ id: 'bad', command: 'true', connect: 'none', ports: 'os' as never }), /spec\.ports/);
  const off = await sup.spawn({ id: 'off', command: process.execPath, args: [server], connect: 'none', ports: 'off' });
  // The scan that would find it runs every 100 ms while starting: the listener printed, then wait 5 scans.
  await lineOf(off, /listening/);
  const auto = await sup.spawn({ id: 'auto', command: process.execPath, args: [server], connect: 'none' });
  await auto.waitForPort('port-1', { timeout: EVENT_WAIT_MS });
  await auto.waitForPort('port-1', { timeout: EVENT_WAIT_MS });
  t.equal(off.ports.size, 0, "ports: 'off' found nothing while a sibling's port was found");
});
