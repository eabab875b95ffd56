import t from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupCommand } from '../../src/toolchain/lookup-command.js';
import { findShimNode, readNpmCmdShim } from '../../src/toolchain/npm-cmd-shim.js';

// npm's own shim writers, pinned: cmd-shim 8 (what npm 11 writes) and 3 (npm 6's). They write
// the .cmd on any platform, so the shims read here are the real ones. Run on Windows in the
// Wine lane (test/_windows/scenarios/npm-shim.mjs).
const require = createRequire(import.meta.url);
const shimmers: [name: string, write: (from: string, to: string) => Promise<void>][] = [
  ['cmd-shim 8', (from, to) => require('cmd-shim')(from, to)],
  [
    'cmd-shim 3',
    (from, to) =>
      new Promise((resolve, reject) => require('cmd-shim-3')(from, to, (e: unknown) => (e ? reject(e) : resolve()))),
  ],
];

function project(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-shim-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules', 'typescript', 'bin'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'typescript', 'bin', 'tsc'),
    "#!/usr/bin/env node\nrequire('../lib/tsc.js')\n",
  );
  mkdirSync(join(dir, 'app', 'src'), { recursive: true });
  return dir;
}

for (const [name, write] of shimmers) {
  t.test(`${name}: the shim's script is found, as an absolute path`, async (t) => {
    const dir = project(t);
    const script = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    await write(script, join(dir, 'node_modules', '.bin', 'tsc'));
    const shim = readNpmCmdShim(join(dir, 'node_modules', '.bin', 'tsc.cmd'));
    t.same(shim, { script, besideNode: join(dir, 'node_modules', '.bin', 'node.exe') });
  });

  t.test(`${name}: lookupCommand on Windows finds tsc.cmd in node_modules/.bin above the cwd`, async (t) => {
    const dir = project(t);
    await write(join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), join(dir, 'node_modules', '.bin', 'tsc'));
    const found = lookupCommand('tsc', { cwd: join(dir, 'app', 'src'), env: { PATH: '' }, platform: 'win32' });
    t.equal(found.path, join(dir, 'node_modules', '.bin', 'tsc.cmd'));
    t.equal(found.shim?.script, join(dir, 'node_modules', 'typescript', 'bin', 'tsc'));
    const elsewhere = lookupCommand('tsc', { cwd: join(dir, 'app'), env: { PATH: '' }, platform: 'linux' });
    t.not(elsewhere.path, join(dir, 'node_modules', '.bin', 'tsc.cmd'), 'not on Linux: the .cmd is not for it');
  });
}

t.test('a .cmd that is not an npm shim is not taken for one', async (t) => {
  const dir = project(t);
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'build.cmd'), '@ECHO off\r\ncall make %*\r\n');
  writeFileSync(join(bin, 'py.cmd'), '@ECHO off\r\n"%~dp0\\python.exe"  "%~dp0\\..\\tool\\main.py" %*\r\n');
  t.equal(readNpmCmdShim(join(bin, 'build.cmd')), undefined, 'no script');
  t.equal(readNpmCmdShim(join(bin, 'py.cmd')), undefined, 'a script, but not run by node');
  t.equal(lookupCommand('build', { cwd: dir, env: { PATH: '' }, platform: 'win32' }).path, undefined);
});

t.test('in one directory an .exe comes before the shim, as PATHEXT orders them', async (t) => {
  const dir = project(t);
  const bin = join(dir, 'node_modules', '.bin');
  await require('cmd-shim')(join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), join(bin, 'tsc'));
  writeFileSync(join(bin, 'tsc.exe'), '');
  chmodSync(join(bin, 'tsc.exe'), 0o755);
  const found = lookupCommand('tsc', { cwd: dir, env: { PATH: '' }, platform: 'win32' });
  t.equal(found.path, join(bin, 'tsc.exe'));
  t.equal(found.shim, undefined);
});

t.test("the shim's Node: node.exe beside it first, then the PATH's", async (t) => {
  const dir = project(t);
  const bin = join(dir, 'node_modules', '.bin');
  await require('cmd-shim')(join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), join(bin, 'tsc'));
  const shim = readNpmCmdShim(join(bin, 'tsc.cmd'));
  if (shim === undefined) throw new Error('no shim read');
  const onPath = join(dir, 'runtime');
  mkdirSync(onPath);
  t.equal(findShimNode(shim, { PATH: onPath }), undefined, 'no node anywhere');
  writeFileSync(join(onPath, 'node.exe'), '');
  chmodSync(join(onPath, 'node.exe'), 0o755);
  t.equal(findShimNode(shim, { PATH: onPath }), join(onPath, 'node.exe'), "the PATH's");
  writeFileSync(join(bin, 'node.exe'), '');
  chmodSync(join(bin, 'node.exe'), 0o755);
  t.equal(findShimNode(shim, { PATH: onPath }), join(bin, 'node.exe'), 'the one beside the shim wins');
});
