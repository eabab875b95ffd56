import t, { type Test } from 'tap';
import { existsSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Supervisor } from '../../src/index.js';
import { nodeSpec } from '../helpers/index.js';

const noSocketDir = process.platform === 'win32' && 'named pipes have no socket directory';

/** A fresh directory removed when the test ends. */
function scratch(t: Test, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Sets (or, with undefined, unsets) XDG_RUNTIME_DIR for this test only. */
function withXdgRuntimeDir(t: Test, value: string | undefined): void {
  const before = process.env.XDG_RUNTIME_DIR;
  if (value === undefined) delete process.env.XDG_RUNTIME_DIR;
  else process.env.XDG_RUNTIME_DIR = value;
  t.teardown(() => {
    if (before === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = before;
  });
}

/** Checks that the supervisor's socket is in a private procwire-* directory directly under `base`. */
async function expectSocketUnder(t: Test, sup: Supervisor, base: string): Promise<void> {
  const dir = dirname(sup.address);
  t.equal(dirname(dir), realpathSync(base), `the socket directory ${dir} is made under ${base}`);
  t.match(basename(dir), /^procwire-/);
  t.equal(statSync(dir).mode & 0o777, 0o700, 'and is private');
  const child = await sup.spawn(nodeSpec('a', 'ready-and-echo.cjs'));
  t.same(await child.sendRequest('echo', { here: true }), { here: true }, 'children connect there');
  await sup.shutdown();
  t.notOk(existsSync(dir), 'shutdown removes it, and only it');
  t.ok(existsSync(base), 'the base stays');
}

t.test(
  'socketDir is the base of the private socket directory, over $XDG_RUNTIME_DIR',
  { skip: noSocketDir },
  async (t) => {
    withXdgRuntimeDir(t, scratch(t, 'procwire-xdg-'));
    const base = scratch(t, 'procwire-base-');
    const sup = await Supervisor.start({ socketDir: base });
    t.teardown(() => sup.shutdown());
    await expectSocketUnder(t, sup, base);
  },
);

t.test('without socketDir the base is $XDG_RUNTIME_DIR when it is set', { skip: noSocketDir }, async (t) => {
  const xdg = scratch(t, 'procwire-xdg-');
  withXdgRuntimeDir(t, xdg);
  const sup = await Supervisor.start();
  t.teardown(() => sup.shutdown());
  await expectSocketUnder(t, sup, xdg);
});

t.test('without socketDir and $XDG_RUNTIME_DIR the base is the temp dir', { skip: noSocketDir }, async (t) => {
  withXdgRuntimeDir(t, undefined);
  const sup = await Supervisor.start();
  t.teardown(() => sup.shutdown());
  await expectSocketUnder(t, sup, tmpdir());
});

t.test('a $XDG_RUNTIME_DIR that does not exist is skipped for the temp dir', { skip: noSocketDir }, async (t) => {
  withXdgRuntimeDir(t, join(scratch(t, 'procwire-xdg-'), 'missing'));
  const sup = await Supervisor.start();
  t.teardown(() => sup.shutdown());
  await expectSocketUnder(t, sup, tmpdir());
});
