import t from 'tap';
import { readFileSync } from 'node:fs';
import { isProcwireError, type ProcwireError } from '../../src/index.js';
import { firstLine, fixture, nodeSpec, spawnTracked, startSupervisor } from '../helpers/index.js';

// Each raw-client mode breaks the handshake in one way. Run as a supervised child, the
// client is refused, sees the connection closed with no answer, and exits; spawn then
// rejects, the refusal is counted, and an honest child next to it keeps working.
const refusals: [mode: string, why: string][] = [
  ['garbage', 'HTTP instead of a frame'],
  ['invalid-json', 'a frame whose body is not JSON'],
  ['wrong-token', 'the right id with a wrong token'],
  ['wrong-id', 'an id nobody waits for'],
  ['notification-first', 'a notification before hello'],
];

t.test('a connection that does not open with a valid hello is closed unanswered and counted', async (t) => {
  const sup = await startSupervisor(t);
  const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
  for (const [mode, why] of refusals) {
    const before = sup.stats.rejectedConnections;
    const error = await sup
      .spawn(nodeSpec(`raw-${mode}`, 'raw-client.cjs', { args: [mode], readyTimeout: '10s', restart: 'never' }))
      .then(
        () => undefined,
        (e: unknown) => e as ProcwireError,
      );
    t.ok(
      isProcwireError(error, 'EXITED_BEFORE_READY'),
      `${why}: spawn rejects with EXITED_BEFORE_READY (${error?.code})`,
    );
    t.equal(sup.stats.rejectedConnections, before + 1, `${why}: counted once`);
    t.equal(sup.get(`raw-${mode}`), undefined, `${why}: the failed child is not kept`);
    t.same(await honest.sendRequest('echo', { mode }), { mode }, `${why}: the honest child is unaffected`);
  }
  t.equal(sup.stats.acceptedConnections, 1);
});

t.test('the parent answers nothing to a refused hello, and spawn says why', async (t) => {
  const sup = await startSupervisor(t);
  const spawning = sup.spawn(nodeSpec('liar', 'raw-client.cjs', { args: ['wrong-token'], restart: 'never' }));
  const error = (await spawning.catch((e: unknown) => e)) as ProcwireError;
  t.equal(error.code, 'EXITED_BEFORE_READY');
  t.match(error.message, /wrong token/, 'the message mentions the refused token');
  t.equal(error.exitCode, 0);
});

t.test('a refused raw client receives zero bytes before the close', async (t) => {
  const sup = await startSupervisor(t);
  for (const mode of ['wrong-token', 'garbage', 'notification-first']) {
    const client = spawnTracked(t, process.execPath, [fixture('raw-client.cjs'), mode], {
      ...process.env,
      PROCWIRE_SOCKET: sup.address,
      PROCWIRE_ID: 'nobody',
      PROCWIRE_TOKEN: 'f'.repeat(64),
    });
    const report = JSON.parse(await firstLine(client.stdout!)) as { closed: boolean; received: string };
    t.same(
      { closed: report.closed, received: report.received },
      { closed: true, received: '' },
      `${mode}: closed with nothing answered`,
    );
  }
  t.equal(sup.stats.rejectedConnections, 3);
});

t.test('a client that connects and says nothing is dropped after connectTimeout', async (t) => {
  const sup = await startSupervisor(t, { connectTimeout: 300 });
  const started = Date.now();
  const client = spawnTracked(t, process.execPath, [fixture('raw-client.cjs'), 'silent'], {
    ...process.env,
    PROCWIRE_SOCKET: sup.address,
  });
  const report = JSON.parse(await firstLine(client.stdout!)) as { closed: boolean; received: string };
  t.same({ closed: report.closed, received: report.received }, { closed: true, received: '' });
  t.ok(Date.now() - started >= 250, 'not dropped before the timeout');
  t.equal(sup.stats.rejectedConnections, 1);
});

const linuxOnly = { skip: process.platform !== 'linux' && 'reads /proc, which only Linux has' };

t.test(
  'the token travels in the environment only, and a second connection for a connected id is refused',
  linuxOnly,
  async (t) => {
    const sup = await startSupervisor(t);
    const child = await sup.spawn(nodeSpec('a', 'ready-and-echo.cjs'));
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    const tokenEntry = environ.find((entry) => entry.startsWith('PROCWIRE_TOKEN='));
    t.ok(tokenEntry, 'the child got PROCWIRE_TOKEN in its environment');
    const token = tokenEntry!.slice('PROCWIRE_TOKEN='.length);
    t.match(token, /^[0-9a-f]{64}$/, '32 random bytes as hex');
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    t.notOk(cmdline.includes(token), 'the token is not on the command line');
    t.ok(environ.includes(`PROCWIRE_ID=a`));
    t.ok(environ.includes(`PROCWIRE_SOCKET=${sup.address}`));

    // An impostor with the real id and the real token still cannot take over the child's id.
    const impostor = spawnTracked(t, process.execPath, [fixture('raw-client.cjs'), 'oversize'], {
      ...process.env,
      PROCWIRE_SOCKET: sup.address,
      PROCWIRE_ID: 'a',
      PROCWIRE_TOKEN: token,
    });
    const report = JSON.parse(await firstLine(impostor.stdout!)) as { closed: boolean; received: string };
    t.same(
      { closed: report.closed, received: report.received },
      { closed: true, received: '' },
      'refused without an answer',
    );
    t.equal(sup.stats.rejectedConnections, 1);
    t.same(await child.sendRequest('echo', { still: 'mine' }), { still: 'mine' });
  },
);
