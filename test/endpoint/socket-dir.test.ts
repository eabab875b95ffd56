import t from 'tap';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Supervisor } from '../../src/index.js';
import { maxSocketPathBytes, socketPathFits } from '../../src/endpoint/index.js';
import { makePrivateSocketDir } from '../../src/endpoint/private-dir.js';
import { exitOf, fixture, spawnTracked, firstLine } from '../helpers/index.js';

t.test('the socket lives in a fresh 0700 directory, is 0600, and shutdown removes the directory', async (t) => {
  const sup = await Supervisor.start();
  t.teardown(() => sup.shutdown());
  const dir = dirname(sup.address);
  t.equal(statSync(dir).mode & 0o777, 0o700, 'directory is private');
  t.equal(statSync(sup.address).mode & 0o777, 0o600, 'socket is owner-only');
  t.ok(statSync(sup.address).isSocket());
  await sup.shutdown();
  t.notOk(existsSync(dir), 'directory removed');
  await sup.shutdown();
  t.pass('a second shutdown is harmless');
});

t.test('socket path limits are counted in bytes', async (t) => {
  t.equal(maxSocketPathBytes('linux'), 107);
  t.equal(maxSocketPathBytes('darwin'), 103);
  t.ok(socketPathFits(`/${'a'.repeat(106)}`, 'linux'));
  t.notOk(socketPathFits(`/${'a'.repeat(107)}`, 'linux'));
  // 50 two-byte characters are 100 bytes: fits in characters, not in bytes on macOS.
  t.notOk(socketPathFits(`/tmp/${'é'.repeat(50)}`, 'darwin'));
});

t.test('a socketDir too long for a socket path falls back to a shorter base', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'procwire-long-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const long = join(base, 'x'.repeat(60), 'y'.repeat(60));
  mkdirSync(long, { recursive: true });
  const sup = await Supervisor.start({ socketDir: long });
  t.teardown(() => sup.shutdown());
  t.notOk(sup.address.startsWith(long), 'did not use the long directory');
  t.ok(socketPathFits(sup.address), `${sup.address} fits`);
  const child = await sup.spawn({ id: 'a', command: process.execPath, args: [fixture('ready-and-echo.cjs')] });
  t.same(await child.sendRequest('echo', { ok: 1 }), { ok: 1 }, 'children connect through the fallback path');
});

t.test('a stale socket file is replaced only after a connect to it fails', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-stale-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'fixed.sock');
  // A process that listens and is SIGKILLed leaves its socket file behind.
  const holder = spawnTracked(t, process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('listening'))`,
  ]);
  t.equal(await firstLine(holder.stdout!), 'listening');
  await t.rejects(
    Supervisor.start({ socketPath: path }),
    /another process is listening/,
    'a live listener is not displaced',
  );
  holder.kill('SIGKILL');
  await exitOf(holder);
  t.ok(existsSync(path), 'the dead listener left its socket file');
  const sup = await Supervisor.start({ socketPath: path });
  t.teardown(() => sup.shutdown());
  t.equal(sup.address, path);
  const child = await sup.spawn({ id: 'a', command: process.execPath, args: [fixture('ready-and-echo.cjs')] });
  t.same(await child.sendRequest('echo', [1]), [1]);
});

t.test('bad supervisor options throw a TypeError that quotes them', async (t) => {
  await t.rejects(Supervisor.start({ connectTimeout: '-5s' }), { name: 'TypeError', message: /connectTimeout.*"-5s"/ });
  await t.rejects(Supervisor.start({ connectTimeout: 'soon' }), {
    name: 'TypeError',
    message: /connectTimeout.*"soon"/,
  });
  await t.rejects(Supervisor.start({ maxMessageSize: 1.5 }), { name: 'TypeError', message: /maxMessageSize.*1\.5/ });
  await t.rejects(Supervisor.start({ conectTimeout: 1 } as never), {
    name: 'TypeError',
    message: /unknown option "conectTimeout"/,
  });
});

t.test('a socketPath in a directory that does not exist fails with the path and a hint', async (t) => {
  const path = join(tmpdir(), 'procwire-no-such-dir', 'x.sock');
  await t.rejects(Supervisor.start({ socketPath: path }), {
    message: new RegExp(`could not listen on ${path}: .*Check that its directory exists`),
  });
});

t.test('a socketDir base others could swap the private directory in is skipped, with the reason', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'procwire-base-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const open = join(base, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  await t.rejects(makePrivateSocketDir([open]), {
    message: new RegExp(
      `could not make a socket directory: ${open} \\(${open} is world-writable without the sticky bit\\)`,
    ),
  });
  t.same(readdirSync(open), [], 'no private directory was made in it');

  const sup = await Supervisor.start({ socketDir: open });
  t.teardown(() => sup.shutdown());
  t.notOk(sup.address.startsWith(open), `fell back to another base: ${sup.address}`);

  // A sticky world-writable base (like /tmp) is fine: others cannot rename what is not theirs.
  chmodSync(open, 0o1777);
  const made = await makePrivateSocketDir([open]);
  t.teardown(() => rmSync(made.dir, { recursive: true, force: true }));
  t.ok(made.dir.startsWith(open), 'a sticky base is used');
});

t.test(
  'a socketDir base owned by another user is skipped',
  { skip: process.getuid?.() !== 0 && 'needs root to give a directory to another user' },
  async (t) => {
    const base = mkdtempSync(join(tmpdir(), 'procwire-base-'));
    t.teardown(() => rmSync(base, { recursive: true, force: true }));
    const theirs = join(base, 'theirs');
    mkdirSync(theirs, { mode: 0o755 });
    chownSync(theirs, 65534, 65534);
    await t.rejects(makePrivateSocketDir([theirs]), { message: new RegExp(`${theirs} belongs to uid 65534`) });
    t.same(readdirSync(theirs), []);
  },
);
