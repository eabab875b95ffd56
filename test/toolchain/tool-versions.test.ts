import t from 'tap';
import { join } from 'node:path';
import { isProcwireError } from '../../src/index.js';
import { resolveRuntime, type ResolvedRuntime, type RuntimeRequest } from '../../src/toolchain/index.js';
import { thrownBy as failure } from '../helpers/index.js';
import { FakeHome, node18, NODE18_VERSION, RUNNING_VERSION, skipWithoutNode18 } from './fake-home.js';

// A .tool-versions line that lists several versions (`nodejs 20.11.1 18.20.4`) is asdf's and
// mise's fallback list: the first one installed is used. Python's: python.test.ts.

const resolve = (home: FakeHome, cwd: string, env: Record<string, string> = {}): ResolvedRuntime =>
  resolveRuntime({ name: 'node', pin: 'auto' } as RuntimeRequest, { cwd, env: { ...home.env, ...env }, childId: 'c' });

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

t.test(
  'several versions on a .tool-versions line: the first installed one, in the listed order, not the highest',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    const asdfNode = home.install('asdf', NODE18_VERSION, node18!);
    const cwd = home.project('absent-first', { '.tool-versions': `nodejs 20.11.1 ${NODE18_VERSION}\n` });
    t.same(
      resolve(home, cwd),
      {
        name: 'node',
        version: NODE18_VERSION,
        path: asdfNode,
        source: join(cwd, '.tool-versions'),
        pin: NODE18_VERSION,
        listed: ['20.11.1', NODE18_VERSION],
        manager: 'asdf',
      },
      'the first is not installed: the second is taken, and the result says which of the list it was',
    );

    home.install('mise', RUNNING_VERSION, process.execPath);
    const older = home.project('older-first', { '.tool-versions': `node 16 ${NODE18_VERSION} ${RUNNING_VERSION}\n` });
    t.match(resolve(home, older), { version: NODE18_VERSION, pin: NODE18_VERSION, manager: 'asdf' });
    const newer = home.project('newer-first', { '.tool-versions': `nodejs ${RUNNING_VERSION} ${NODE18_VERSION}\n` });
    t.match(resolve(home, newer), { version: RUNNING_VERSION, pin: RUNNING_VERSION, manager: 'mise' });
    const single = home.project('single', { '.tool-versions': 'nodejs 18\n' });
    t.notOk('listed' in resolve(home, single), 'one version listed: no list in the result');
  },
);

t.test('system in the list is the node on PATH; a version PATH’s node satisfies counts as installed', async (t) => {
  const home = new FakeHome(t);
  const cwd = home.project('p', { '.tool-versions': 'nodejs 20.11.1 system\n' });
  t.same(resolve(home, cwd), {
    name: 'node',
    version: RUNNING_VERSION,
    path: join(home.pathBin, 'node'),
    source: join(cwd, '.tool-versions'),
    pin: 'system',
    listed: ['20.11.1', 'system'],
    manager: 'PATH',
  });
  const q = home.project('q', { '.tool-versions': `nodejs 20.11.1 ${RUNNING_VERSION} system\n` });
  t.match(resolve(home, q), { pin: RUNNING_VERSION, manager: 'PATH' }, 'as it does for a single pin');
});

t.test(
  'none of the listed versions installed: TOOLCHAIN_NOT_FOUND names each, in order, every place searched, and how to install the first',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('asdf', NODE18_VERSION, node18!);
    const cwd = home.project('p', {
      '.tool-versions': 'python 3.12.1\nnodejs 20.11.1 lts/iron 16 system # fallbacks\n',
    });
    home.nvmAlias('lts/iron', 'v20.19.0');
    const error = failure(() => resolve(home, cwd, { PATH: join(home.root, 'empty') }));
    t.ok(isProcwireError(error, 'TOOLCHAIN_NOT_FOUND'), String(error));
    t.match(
      error.message,
      new RegExp(
        `^child "c": no installed node satisfies any of the versions from ${escaped(join(cwd, '.tool-versions'))}, ` +
          'tried in order: "20\\.11\\.1", "lts/iron" \\(v20\\.19\\.0\\), "16", "system" \\(the node on PATH\\)\\. Searched: ',
      ),
    );
    t.match(error.message, `asdf ${home.home}/.asdf/installs/nodejs (${NODE18_VERSION})`);
    t.match(error.message, `mise ${home.home}/.local/share/mise/installs/node (not there)`);
    t.match(error.message, `PATH (no node)`);
    t.match(error.message, /\. Install the first: asdf install nodejs 20\.11\.1$/, '.tool-versions’ own manager');

    const garbled = home.project('garbled', { '.tool-versions': 'nodejs 18 hello!!\n' });
    t.match(
      failure(() => resolve(home, garbled)).message,
      /^child "c": cannot choose a node: .*\/garbled\/\.tool-versions is not a version, a range or an nvm alias \("hello!!"\)/,
      'a garbled fallback is an error even while the version before it is installed',
    );
  },
);
