import t from 'tap';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcwireError } from '../../src/index.js';
import { resolveRuntime, type ResolvedRuntime, type RuntimeRequest } from '../../src/toolchain/index.js';
import { thrownBy as failure } from '../helpers/index.js';
import { FakeHome, node18, NODE18_VERSION, RUNNING_VERSION, skipWithoutNode18 } from './fake-home.js';

// Resolution against layout-faithful fake homes whose node entries are real binaries (the
// test runtime's Node 18 and the running Node). Spawning on them: runtime-spawn.test.ts.

const resolve = (home: FakeHome, cwd: string, pin: string, env: Record<string, string> = {}): ResolvedRuntime =>
  resolveRuntime({ name: 'node', pin } as RuntimeRequest, { cwd, env: { ...home.env, ...env }, childId: 'c' });

t.test(
  'each manager’s layout is found where it keeps versions, also through its variable',
  { skip: skipWithoutNode18 },
  async (t) => {
    for (const manager of ['nvm', 'fnm', 'volta', 'mise', 'asdf', 'procwire'] as const) {
      const home = new FakeHome(t);
      const path = home.install(manager, NODE18_VERSION, node18!);
      const cwd = home.project('p');
      t.match(
        resolve(home, cwd, '18'),
        { name: 'node', version: NODE18_VERSION, path, source: 'spec', pin: '18', manager },
        manager,
      );
    }
    // The same layouts under each manager's own variable instead of HOME.
    const home = new FakeHome(t);
    const cwd = home.project('p');
    const elsewhere = new FakeHome(t);
    const cases: [string, Record<string, string>, 'nvm' | 'fnm' | 'volta' | 'mise' | 'asdf' | 'procwire'][] = [
      ['NVM_DIR', { NVM_DIR: join(elsewhere.home, '.nvm') }, 'nvm'],
      ['FNM_DIR', { FNM_DIR: join(elsewhere.home, '.local/share/fnm') }, 'fnm'],
      ['XDG_DATA_HOME (fnm)', { XDG_DATA_HOME: join(elsewhere.home, '.local/share') }, 'fnm'],
      ['VOLTA_HOME', { VOLTA_HOME: join(elsewhere.home, '.volta') }, 'volta'],
      ['MISE_DATA_DIR', { MISE_DATA_DIR: join(elsewhere.home, '.local/share/mise') }, 'mise'],
      ['ASDF_DATA_DIR', { ASDF_DATA_DIR: join(elsewhere.home, '.asdf') }, 'asdf'],
      ['PROCWIRE_CACHE_DIR', { PROCWIRE_CACHE_DIR: join(elsewhere.home, '.cache/procwire') }, 'procwire'],
    ];
    const installed = new Set<string>();
    for (const [variable, env, manager] of cases) {
      if (!installed.has(manager)) elsewhere.install(manager, NODE18_VERSION, node18!);
      installed.add(manager);
      t.equal(resolve(home, cwd, '18', env).manager, manager, variable);
    }
  },
);

t.test(
  'each pin file kind is read from the cwd upward, with what it pinned and where',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    home.install('nvm', RUNNING_VERSION, process.execPath);
    const kinds: [string, Record<string, string>, string][] = [
      ['.nvmrc', { '.nvmrc': 'v18 # the LTS we ship on\n' }, 'v18'],
      ['.node-version', { '.node-version': '18.20\n' }, '18.20'],
      ['package.json', { 'package.json': JSON.stringify({ volta: { node: NODE18_VERSION } }) }, NODE18_VERSION],
      ['.tool-versions', { '.tool-versions': '# tools\npython 3.9.18\nnodejs 18\n' }, '18'],
      ['.tool-versions', { '.tool-versions': 'node 18.20.8\n' }, '18.20.8'],
      ['package.json', { 'package.json': JSON.stringify({ engines: { node: '>=16 <19' } }) }, '>=16 <19'],
    ];
    for (const [index, [file, files, pin]] of kinds.entries()) {
      const root = home.project(`kind-${index}`, files);
      const cwd = home.project(`kind-${index}/src/deep`);
      t.same(
        resolve(home, cwd, 'auto'),
        {
          name: 'node',
          version: NODE18_VERSION,
          path: join(home.home, '.nvm/versions/node', `v${NODE18_VERSION}`, 'bin/node'),
          source: join(root, file),
          pin,
          manager: 'nvm',
        },
        `${file}: ${pin}`,
      );
    }
  },
);

t.test(
  'a range picks the highest installed version that satisfies it, across managers',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', '18.0.0', node18!);
    home.install('fnm', NODE18_VERSION, node18!);
    home.install('volta', '16.20.2', node18!);
    home.install('mise', RUNNING_VERSION, process.execPath);
    home.install('asdf', '21.7.3', process.execPath);
    const cwd = home.project('p');
    const pick = (pin: string): string => {
      const found = resolve(home, cwd, pin);
      return `${found.manager} ${found.version}`;
    };
    t.equal(pick('18'), `fnm ${NODE18_VERSION}`);
    t.equal(pick('18.0'), 'nvm 18.0.0');
    t.equal(pick('18.0.0'), 'nvm 18.0.0');
    t.equal(pick('>=18 <21'), `mise ${RUNNING_VERSION}`);
    t.equal(pick('^16 || ^18'), `fnm ${NODE18_VERSION}`);
    t.equal(pick('<17'), 'volta 16.20.2');
    t.equal(pick('node'), 'asdf 21.7.3', '"node" (nvm’s word for the newest) takes the highest of all');
    home.install('nvm', NODE18_VERSION, node18!);
    t.equal(pick(NODE18_VERSION), `nvm ${NODE18_VERSION}`, 'a tie goes to the earlier manager in the search order');
  },
);

t.test('lts/* and named aliases go through nvm’s alias files', { skip: skipWithoutNode18 }, async (t) => {
  const home = new FakeHome(t);
  home.install('nvm', NODE18_VERSION, node18!);
  home.install('nvm', RUNNING_VERSION, process.execPath);
  const cwd = home.project('p', { '.nvmrc': 'lts/*\n' });
  const missing = failure(() => resolve(home, cwd, 'auto'));
  t.ok(isProcwireError(missing, 'TOOLCHAIN_NOT_FOUND'), String(missing));
  t.match(
    missing.message,
    /cannot choose a node: "lts\/\*" from .*\.nvmrc is not a version or range, and nvm has no alias of that name \(`nvm install --lts` writes the lts aliases\)/,
  );

  home.nvmAlias('lts/*', 'lts/hydrogen');
  home.nvmAlias('lts/hydrogen', `v${NODE18_VERSION}`);
  home.nvmAlias('lts/iron', `v${RUNNING_VERSION}`);
  home.nvmAlias('default', 'lts/iron');
  t.match(resolve(home, cwd, 'auto'), { version: NODE18_VERSION, pin: 'lts/*', source: join(cwd, '.nvmrc') });
  t.match(resolve(home, cwd, 'lts/iron'), { version: RUNNING_VERSION, source: 'spec' });
  t.match(resolve(home, cwd, 'default'), { version: RUNNING_VERSION });
  home.nvmAlias('broken', 'lts/nowhere-to-be-found');
  t.match(
    failure(() => resolve(home, cwd, 'broken')).message,
    /"broken" from the spec is an nvm alias that leads to "lts\/nowhere-to-be-found" \(.*alias\/broken\), not a version/,
  );
});

t.test(
  'precedence: the nearest directory first; within one, .nvmrc, .node-version, volta, .tool-versions; engines last',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    home.install('nvm', RUNNING_VERSION, process.execPath);
    const all = {
      '.nvmrc': '18',
      '.node-version': RUNNING_VERSION,
      'package.json': JSON.stringify({ volta: { node: RUNNING_VERSION }, engines: { node: RUNNING_VERSION } }),
      '.tool-versions': `nodejs ${RUNNING_VERSION}`,
    };
    const sourceOf = (files: Record<string, string>, name: string, cwdBelow = ''): string => {
      const dir = home.project(name, files);
      const cwd = home.project(join(name, cwdBelow));
      return resolve(home, cwd, 'auto').source.slice(dir.length + 1);
    };
    t.equal(sourceOf(all, 'a'), '.nvmrc');
    const { '.nvmrc': _n, ...noNvmrc } = all;
    t.equal(sourceOf(noNvmrc, 'b'), '.node-version');
    const { '.node-version': _v, ...onlyPackage } = noNvmrc;
    t.equal(sourceOf(onlyPackage, 'c'), 'package.json');
    t.equal(
      sourceOf({ '.tool-versions': 'nodejs 18', 'package.json': '{"engines":{"node":">=20"}}' }, 'd'),
      '.tool-versions',
      'engines counts after .tool-versions',
    );
    // A nearer pin file wins over a farther one.
    t.equal(sourceOf({ '.nvmrc': RUNNING_VERSION, 'sub/.node-version': '18' }, 'e', 'sub'), 'sub/.node-version');
    // A package's engines range is no pin: a repository's .nvmrc above it wins, and engines counts only without one.
    t.equal(sourceOf({ '.nvmrc': '18', 'pkg/package.json': '{"engines":{"node":">=20"}}' }, 'f', 'pkg'), '.nvmrc');
    t.equal(
      sourceOf({ 'package.json': '{"name":"root"}', 'pkg/package.json': '{"engines":{"node":">=20"}}' }, 'g', 'pkg'),
      'pkg/package.json',
    );
  },
);

t.test(
  'a pin nothing satisfies: TOOLCHAIN_NOT_FOUND names the pin, its file, every place searched, what was found, and how to install it',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    home.install('volta', RUNNING_VERSION, process.execPath);
    mkdirSync(join(home.home, '.nvm/versions/node/v19.0.0'), { recursive: true });
    const cwd = home.project('p', { '.nvmrc': '17.9.1\n' });
    const error = failure(() => resolve(home, cwd, 'auto'));
    t.ok(isProcwireError(error, 'TOOLCHAIN_NOT_FOUND'), String(error));
    t.equal((error as { childId?: string }).childId, 'c');
    const { message } = error;
    t.match(message, /^child "c": no installed node satisfies "17\.9\.1" from .*\/p\/\.nvmrc\. Searched: /);
    t.match(
      message,
      new RegExp(
        `nvm ${home.home}/\\.nvm/versions/node \\(${NODE18_VERSION.replace(/\./g, '\\.')}; ignored v19\\.0\\.0 \\(no bin/node\\)\\)`,
      ),
    );
    t.match(message, `fnm ${home.home}/.local/share/fnm/node-versions (not there)`);
    t.match(message, `volta ${home.home}/.volta/tools/image/node (${RUNNING_VERSION})`);
    t.match(message, `mise ${home.home}/.local/share/mise/installs/node (not there)`);
    t.match(message, `asdf ${home.home}/.asdf/installs/nodejs (not there)`);
    t.match(message, `procwire ${home.home}/.cache/procwire/node (not there)`);
    t.match(message, `PATH (node ${RUNNING_VERSION} at ${home.pathBin}/node)`);
    t.match(message, /Install it: nvm install 17\.9\.1$/, 'the .nvmrc’s own manager, which is installed');
    const voltaOnly = new FakeHome(t);
    voltaOnly.install('volta', RUNNING_VERSION, process.execPath);
    t.match(
      failure(() => resolve(voltaOnly, voltaOnly.project('q'), '>=22 <23')).message,
      /Install it: volta install node@22$/,
    );
    const bare = new FakeHome(t);
    t.match(
      failure(() => resolve(bare, bare.project('q'), '22')).message,
      /Install it: procwire toolchain install node@22$/,
    );
  },
);

/** What `auto` resolves to with no pin file: the fake home's node on PATH. */
function pathNode(home: FakeHome) {
  return {
    name: 'node',
    version: RUNNING_VERSION,
    path: join(home.pathBin, 'node'),
    source: 'PATH',
    pin: undefined,
    manager: 'PATH',
  };
}

t.test('auto without any pin file takes the node on PATH; with none there either, says so', async (t) => {
  const home = new FakeHome(t);
  const cwd = home.project('p');
  t.same(resolve(home, cwd, 'auto'), pathNode(home));
  const error = failure(() => resolve(home, cwd, 'auto', { PATH: join(home.root, 'empty') }));
  t.ok(isProcwireError(error, 'TOOLCHAIN_NOT_FOUND'));
  t.match(
    error.message,
    /runtime\.node is "auto" but no pin file \(\.nvmrc, \.node-version, package\.json, \.tool-versions, package\.json engines\.node\) is in .*\/p or above, and there is no node on PATH/,
  );
  t.match(
    resolve(home, cwd, RUNNING_VERSION),
    { manager: 'PATH', source: 'spec' },
    'a pin no manager has, that PATH’s node satisfies',
  );
});

t.test('PATH’s node answers its version whether or not the cwd exists', async (t) => {
  const home = new FakeHome(t);
  // Not created: asking PATH's node for its version must not run in a directory that is not there.
  const cwd = join(home.root, 'not-yet', 'deeper');
  t.same(resolve(home, cwd, 'auto'), pathNode(home));
  t.match(resolve(home, cwd, RUNNING_VERSION), { manager: 'PATH', version: RUNNING_VERSION }, 'and for a pin');
});

t.test(
  'bad input is a clear TOOLCHAIN_NOT_FOUND naming the file, never a crash',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    const cases: [Record<string, string>, RegExp][] = [
      [
        { '.nvmrc': 'hello world!!\n' },
        /\/\.nvmrc is not a version, a range or an nvm alias \("hello world!!"\); write a version such as 18\.20\.4 in it, or remove it/,
      ],
      [{ '.nvmrc': '' }, /\/\.nvmrc is empty; write a version/],
      [{ '.nvmrc': '# only a comment\n\n' }, /\/\.nvmrc is empty/],
      [{ '.node-version': '<<>>' }, /\/\.node-version is not a version/],
      [
        { 'package.json': '{ "volta": { "node": 18 ' },
        /\/package\.json is not JSON \(.*\); fix it, or give runtime\.node a version/,
      ],
      [{ 'package.json': '{ "volta": { "node": 18 } }' }, /\/package\.json has a volta\.node that is not a string/],
      [{ '.tool-versions': 'nodejs\n' }, /\/\.tool-versions is empty/],
    ];
    for (const [index, [files, message]] of cases.entries()) {
      const cwd = home.project(`bad-${index}`, files);
      const error = failure(() => resolve(home, cwd, 'auto'));
      t.ok(isProcwireError(error, 'TOOLCHAIN_NOT_FOUND'), `${Object.keys(files)[0]}: ${error.message}`);
      t.match(error.message, /^child "c": cannot choose a node: /);
      t.match(error.message, message);
    }
  },
);

t.test(
  'a symlink loop or a version directory without a binary in a manager dir is skipped and reported',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    const versions = join(home.home, '.nvm/versions/node');
    symlinkSync(join(versions, 'v19.1.0'), join(versions, 'v19.1.0'));
    mkdirSync(join(versions, 'v20.0.0/bin'), { recursive: true });
    writeFileSync(join(versions, 'v20.0.0/bin/node'), 'not executable');
    // A manager directory that is itself a loop.
    mkdirSync(join(home.home, '.volta/tools/image'), { recursive: true });
    symlinkSync(join(home.home, '.volta/tools/image/node'), join(home.home, '.volta/tools/image/node'));
    const cwd = home.project('p');
    t.match(
      resolve(home, cwd, '>=18'),
      { version: NODE18_VERSION, manager: 'nvm' },
      'the usable version is still found',
    );
    const error = failure(() => resolve(home, cwd, '^19'));
    t.match(
      error.message,
      /ignored v19\.1\.0 \(symlink loop\), v20\.0\.0 \(no bin\/node\)|ignored v20\.0\.0 \(no bin\/node\), v19\.1\.0 \(symlink loop\)/,
    );
    t.match(error.message, /volta .*\/\.volta\/tools\/image\/node \(unreadable: ELOOP\)/);
  },
);

t.test(
  'what is remembered is checked: a version installed or removed after a resolution counts at once',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    const cwd = home.project('p', { '.nvmrc': '>=18' });
    t.equal(resolve(home, cwd, 'auto').version, NODE18_VERSION);
    // An install in progress: the directory first, its binary later.
    const bin = join(home.home, '.nvm/versions/node', `v${RUNNING_VERSION}`, 'bin');
    mkdirSync(bin, { recursive: true });
    t.equal(resolve(home, cwd, 'auto').version, NODE18_VERSION, 'a version without its binary yet is not picked');
    symlinkSync(process.execPath, join(bin, 'node'));
    t.equal(resolve(home, cwd, 'auto').version, RUNNING_VERSION, 'its binary arrived: picked at once');
    writeFileSync(join(cwd, '.nvmrc'), '18\n');
    t.equal(resolve(home, cwd, 'auto').version, NODE18_VERSION, 'an edited pin file is read again');
  },
);
