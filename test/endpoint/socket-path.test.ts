import t, { type Test } from 'tap';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../../src/index.js';
import { exitOf, fixture, firstLine, spawnTracked, within } from '../helpers/index.js';

// An explicit socketPath: procwire must never delete what is not its own stale socket, and
// must not put its socket where another user could reach it early or swap it later.

function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-path-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a socketPath naming a regular file is refused, and the file survives with its content', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'app.db');
  writeFileSync(path, 'precious data');
  await t.rejects(Supervisor.start({ socketPath: path }), {
    message: new RegExp(`will not replace ${path}: it is a regular file, not a socket\\. .*choose another socketPath`),
  });
  t.equal(readFileSync(path, 'utf8'), 'precious data', 'the file is untouched');
  t.same(readdirSync(dir), ['app.db'], 'nothing else was left behind');
});

t.test('a socketPath that is a symlink is refused, and neither the link nor its target is touched', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'target'), 'kept');
  symlinkSync(join(dir, 'target'), join(dir, 'link.sock'));
  await t.rejects(Supervisor.start({ socketPath: join(dir, 'link.sock') }), {
    message: /it is a symbolic link, not a socket/,
  });
  t.ok(lstatSync(join(dir, 'link.sock')).isSymbolicLink());
  t.equal(readFileSync(join(dir, 'target'), 'utf8'), 'kept');
});

const asRoot = { skip: process.getuid?.() !== 0 && 'needs root to make a socket owned by another user' };

t.test('a stale socket owned by another user is refused, not removed', asRoot, async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'theirs.sock');
  // A listener that is SIGKILLed leaves its socket file behind (a clean close would unlink it).
  const holder = spawnTracked(t, process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('listening'))`,
  ]);
  t.equal(await firstLine(holder.stdout!), 'listening');
  holder.kill('SIGKILL');
  await exitOf(holder);
  chownSync(path, 65534, 65534);
  await t.rejects(Supervisor.start({ socketPath: path }), { message: /a socket owned by uid 65534, not by you/ });
  t.ok(lstatSync(path).isSocket(), 'their socket is still there');
});

for (const [mode, what] of [
  [0o777, 'world-writable'],
  [0o775, 'group-writable'],
] as const) {
  t.test(`a socketPath in a ${what} directory without the sticky bit is refused`, async (t) => {
    const dir = scratch(t);
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, mode);
    await t.rejects(Supervisor.start({ socketPath: join(shared, 'x.sock') }), {
      message: new RegExp(`will not put its socket in ${shared}: .*without the sticky bit`),
    });
    t.same(readdirSync(shared), [], 'nothing was made there');
  });
}

t.test('a socketPath below a world-writable directory is refused too: that directory could be swapped', async (t) => {
  const dir = scratch(t);
  const shared = join(dir, 'shared');
  mkdirSync(join(shared, 'mine'), { recursive: true });
  chmodSync(shared, 0o777);
  await t.rejects(Supervisor.start({ socketPath: join(shared, 'mine', 'x.sock') }), {
    message: new RegExp(
      `will not put its socket in ${join(shared, 'mine')}: ${shared} is world-writable without the sticky bit`,
    ),
  });
});

t.test('a socketPath in a sticky world-writable directory (like /tmp) is used', async (t) => {
  const dir = scratch(t);
  const sticky = join(dir, 'sticky');
  mkdirSync(sticky);
  chmodSync(sticky, 0o1777);
  const sup = await Supervisor.start({ socketPath: join(sticky, 'x.sock') });
  t.teardown(() => sup.shutdown());
  t.equal(sup.address, join(sticky, 'x.sock'));
  const child = await sup.spawn({ id: 'a', command: process.execPath, args: [fixture('ready-and-echo.cjs')] });
  t.same(await child.sendRequest('echo', [1]), [1]);
});

t.test('the socket appears at socketPath already 0600: no moment when others could connect', async (t) => {
  const dir = scratch(t);
  chmodSync(dir, 0o755);
  const path = join(dir, 'watched.sock');
  const watcher = spawnTracked(t, process.execPath, [fixture('watches-socket-mode.cjs'), path]);
  let output = '';
  await within(
    new Promise<void>((resolve) =>
      watcher.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.startsWith('watching\n')) resolve();
      }),
    ),
    'the watcher to start watching',
  );
  const previous = process.umask(0);
  let sup: Supervisor;
  try {
    sup = await Supervisor.start({ socketPath: path });
  } finally {
    process.umask(previous);
  }
  t.teardown(() => sup.shutdown());
  await exitOf(watcher);
  t.equal(output, 'watching\n600\n', 'the first mode anyone could see was 0600');
  t.same(readdirSync(dir), ['watched.sock'], 'no staging directory left behind');
});

t.test('shutdown removes its socket at socketPath, but not a file that replaced it', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'own.sock');
  const sup = await Supervisor.start({ socketPath: path });
  await sup.shutdown();
  t.notOk(existsSync(path), 'its own socket is removed');

  const again = await Supervisor.start({ socketPath: path });
  rmSync(path);
  writeFileSync(path, 'someone else put this here');
  await again.shutdown();
  t.equal(readFileSync(path, 'utf8'), 'someone else put this here', 'a file that is not its socket is left alone');
});
