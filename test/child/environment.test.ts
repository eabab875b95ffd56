import t from 'tap';
import { readFileSync } from 'node:fs';
import { nodeSpec, startSupervisor, until, pidAlive } from '../helpers/index.js';

// What a child's environment says about procwire, read where the kernel keeps it
// (/proc/<pid>/environ: the environment the process was started with), not from inside.
const linuxOnly = { skip: process.platform !== 'linux' && 'reads /proc/<pid>/environ, which only Linux has' };

function procwireEnvironOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const found: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq > 0 && entry.startsWith('PROCWIRE_')) found[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return found;
}

interface EnvironmentReport {
  sameConnection: boolean;
  procwireEnv: Record<string, string>;
  grandchild: number;
}

// The test process poses as a parent that is itself a supervised child: its own PROCWIRE_*
// must reach no child of its supervisor.
const impostor = {
  PROCWIRE_SOCKET: '/nonexistent/parent.sock',
  PROCWIRE_ID: 'the-parent-itself',
  PROCWIRE_TOKEN: 'f'.repeat(64),
};
for (const [name, value] of Object.entries(impostor)) process.env[name] = value;
t.teardown(() => {
  for (const name of Object.keys(impostor)) delete process.env[name];
});

t.test(
  "an SDK child is given the supervisor's socket, its own id and a fresh token, and nothing of the parent's",
  linuxOnly,
  async (t) => {
    const sup = await startSupervisor(t);
    const child = await sup.spawn(nodeSpec('env-sdk', 'reports-its-environment.cjs'));
    const started = procwireEnvironOf(child.pid!);
    t.equal(started.PROCWIRE_SOCKET, sup.address, 'PROCWIRE_SOCKET is sup.address');
    t.equal(started.PROCWIRE_ID, 'env-sdk');
    t.match(started.PROCWIRE_TOKEN, /^[0-9a-f]{64}$/, 'a 32-byte hex token');
    t.not(started.PROCWIRE_TOKEN, impostor.PROCWIRE_TOKEN, "not the parent's own token");

    const report = await child.sendRequest<EnvironmentReport>('environment');
    t.equal(
      report.procwireEnv.PROCWIRE_TOKEN,
      undefined,
      'the SDK removed the token from its process.env after connect()',
    );
    t.ok(pidAlive(report.grandchild));
    t.equal(
      procwireEnvironOf(report.grandchild).PROCWIRE_TOKEN,
      undefined,
      'a grandchild started after connect() never had the token',
    );
  },
);

t.test('connect() called twice shares one connection: one hello, one accepted connection', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('env-twice', 'reports-its-environment.cjs'));
  const report = await child.sendRequest<EnvironmentReport>('environment');
  t.equal(report.sameConnection, true, 'the second connect() resolved with the first connection');
  t.equal(sup.stats.acceptedConnections, 1);
  t.equal(sup.stats.rejectedConnections, 0, 'no second hello was tried with the spent token');
});

t.test("a plain child (connect: 'none') gets no PROCWIRE_* variable at all", linuxOnly, async (t) => {
  const sup = await startSupervisor(t);
  const plain = await sup.spawn({
    id: 'env-plain',
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1 << 30)'],
    connect: 'none',
  });
  // The environ file is complete once the process exists, but give exec its moment.
  await until(
    () => readFileSync(`/proc/${plain.pid}/cmdline`, 'utf8').includes('setInterval'),
    5000,
    'the plain child to exec',
  );
  t.same(procwireEnvironOf(plain.pid!), {}, "neither the supervisor's variables nor the parent's own");
});
