import t, { type Test } from 'tap';
import { chmodSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childSdkPath, isProcwireError, type ChildSpec, type ResolvedRuntime } from '../../src/index.js';
import { EVENT_WAIT_MS, fixture, spawnTracked, startSupervisor, within } from '../helpers/index.js';
import { FakeHome, node18, NODE18_VERSION, RUNNING_VERSION, skipWithoutNode18 } from './fake-home.js';

// Children spawned on the runtime their project pins, found in a fake HOME whose nvm holds the
// real Node 18 and the running Node. Preloads in NODE_OPTIONS (tap's, which test/setup removes,
// or a shell's tsx) break Node 18; so these children get a parent of their own
// (test/fixtures/runs-children-in-turn.mjs, on the built package) started without them.

const repo = fileURLToPath(new URL('../../', import.meta.url));
const typescriptVersion = (
  JSON.parse(readFileSync(join(repo, 'node_modules/typescript/package.json'), 'utf8')) as { version: string }
).version;

interface Ran {
  stdout: string[];
  stderr: string[];
  runtimes: ResolvedRuntime[];
  states: { kind: string; runtime?: ResolvedRuntime; exitCode?: number }[];
  runtime: ResolvedRuntime | undefined;
  answer: { version: string } | undefined;
  error: { code: string; message: string } | undefined;
}

/** Supervises the children in turn, in a parent free of tap's hooks, each until it exits (or answers `version`). */
async function supervise(t: Test, ...specs: (Partial<ChildSpec> & { id: string })[]): Promise<Ran[]> {
  const args = ['-u', 'NODE_OPTIONS', process.execPath, fixture('runs-children-in-turn.mjs'), JSON.stringify(specs)];
  const parent = spawnTracked(t, 'env', args);
  let out = '';
  let err = '';
  parent.stdout?.on('data', (chunk: Buffer) => (out += chunk));
  parent.stderr?.on('data', (chunk: Buffer) => (err += chunk));
  // The children run one after another: the deadline is one event wait per child.
  const [code] = (await within(
    once(parent, 'exit'),
    'the parent to supervise its children',
    EVENT_WAIT_MS * specs.length,
  )) as [number | null];
  if (code !== 0) throw new Error(`the parent exited ${code}: ${err}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as Ran[];
}

function nvmHome(t: Test): FakeHome {
  const home = new FakeHome(t);
  home.install('nvm', NODE18_VERSION, node18!);
  home.install('nvm', RUNNING_VERSION, process.execPath);
  return home;
}

const nvmBin = (home: FakeHome, version: string): string => join(home.home, '.nvm/versions/node', `v${version}`, 'bin');

t.test(
  'runtime auto with an .nvmrc runs `node` on the pinned version, says so, and an SDK child connects on it',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = nvmHome(t);
    const project = home.project('app', { '.nvmrc': '18\n' });
    // The `node` npm package puts a node in .bin; with a runtime, `node` means the runtime's.
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    symlinkSync(process.execPath, join(project, 'node_modules/.bin/node'));
    const spec = { cwd: project, env: home.env, runtime: { node: 'auto' } };
    const { runtime: _none, ...unpinned } = spec;
    const say = { command: 'node', args: ['-p', 'process.version'], connect: 'none' as const };
    const [ran, npmStyle, sdk] = await supervise(
      t,
      { id: 'plain', ...say, ...spec },
      { id: 'bin', ...say, ...unpinned },
      {
        id: 'sdk',
        command: 'node',
        args: [fixture('toolchain-child.cjs')],
        ...spec,
        env: { ...home.env, PROCWIRE_SDK: childSdkPath },
      },
    );
    if (!ran || !npmStyle || !sdk) throw new Error('three results expected');
    t.same(ran.stdout, [`v${NODE18_VERSION}`], `the child ran on Node 18, not the parent’s: ${ran.stderr.join('\n')}`);
    const expected: ResolvedRuntime = {
      name: 'node',
      version: NODE18_VERSION,
      path: join(nvmBin(home, NODE18_VERSION), 'node'),
      source: join(project, '.nvmrc'),
      pin: '18',
      manager: 'nvm',
    };
    t.same(ran.runtime, expected, 'child.runtime');
    t.same(ran.runtimes, [expected], 'one runtime event, before the spawn');
    t.same(
      ran.states.map((state) => state.kind),
      ['starting', 'starting', 'running', 'exited'],
    );
    t.same(ran.states.find((state) => state.kind === 'running')?.runtime, expected, 'the running state carries it');
    t.same(npmStyle.stdout, [process.version], 'without a runtime, `node` is looked up as npm run does: .bin first');
    t.match(ran.states.at(-1), { kind: 'exited', exitCode: 0 });

    t.equal(sdk.error, undefined);
    t.same(sdk.answer?.version, `v${NODE18_VERSION}`, 'a connected child on the pinned runtime');
  },
);

t.test(
  'a tool whose shebang is `env node` runs on the pinned Node: its bin dir is first on PATH',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = nvmHome(t);
    const project = home.project('app', {
      '.nvmrc': NODE18_VERSION,
      'node_modules/.bin/show-version':
        '#!/usr/bin/env node\nconsole.log(process.version, process.env.PATH.split(":")[0]);\n',
    });
    chmodSync(join(project, 'node_modules/.bin/show-version'), 0o755);
    const spec = { command: 'show-version', connect: 'none' as const, cwd: project, env: home.env };
    const [pinned, bySpec, none] = await supervise(
      t,
      { id: 'pinned', ...spec, runtime: { node: 'auto' } },
      { id: 'by-spec', ...spec, runtime: { node: RUNNING_VERSION } },
      { id: 'unpinned', ...spec },
    );
    if (!pinned || !bySpec || !none) throw new Error('three results expected');
    t.same(pinned.stdout, [`v${NODE18_VERSION} ${nvmBin(home, NODE18_VERSION)}`], pinned.stderr.join('\n'));
    t.same(bySpec.stdout, [`${process.version} ${nvmBin(home, RUNNING_VERSION)}`], 'the spec’s pin over the file');
    t.same(none.stdout, [`${process.version} ${home.pathBin}`], 'without runtime, PATH is left as it was');
    t.equal(none.runtime, undefined);
  },
);

t.test(
  '`command: tsc` runs the project’s own node_modules/.bin/tsc, the nearest one, on the pinned Node',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = nvmHome(t);
    // A decoy further up: npm run takes the nearest .bin first, and so must we.
    const outer = home.project('mono', { '.nvmrc': '18' });
    mkdirSync(join(outer, 'node_modules/.bin'), { recursive: true });
    symlinkSync('/bin/echo', join(outer, 'node_modules/.bin/tsc'));
    const project = home.project('mono/packages/app');
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    symlinkSync(join(repo, 'node_modules/typescript/bin/tsc'), join(project, 'node_modules/.bin/tsc'));
    // And one on PATH: npm run puts every node_modules/.bin before PATH.
    symlinkSync('/bin/echo', join(home.pathBin, 'tsc'));
    const spec = { command: 'tsc', args: ['--version'], connect: 'none' as const, env: home.env };
    const [ran, above] = await supervise(
      t,
      { id: 'tsc', ...spec, cwd: project, runtime: { node: 'auto' } },
      { id: 'above', ...spec, cwd: join(project, '..') },
    );
    if (!ran || !above) throw new Error('two results expected');
    t.same(ran.stdout, [`Version ${typescriptVersion}`], ran.stderr.join('\n'));
    t.match(ran.runtime, { version: NODE18_VERSION, source: join(outer, '.nvmrc') });
    t.match(ran.states.at(-1), { kind: 'exited', exitCode: 0 });
    t.match(above.stdout[0], /echo/, 'from a directory above the project, the nearer .bin is the decoy’s (echo)');
  },
);

t.test(
  'a pin nothing satisfies rejects the spawn with TOOLCHAIN_NOT_FOUND before any process, and is not retried',
  async (t) => {
    const home = new FakeHome(t);
    const project = home.project('app', { '.nvmrc': '17.1.0' });
    const sup = await startSupervisor(t);
    const states: string[] = [];
    sup.on('child', (child) =>
      child.on('state', (state) => states.push(`${state.kind}${'pid' in state && state.pid ? ' pid' : ''}`)),
    );
    const error = await sup
      .spawn({
        id: 'old',
        command: 'node',
        args: ['-e', '0'],
        cwd: project,
        env: home.env,
        runtime: { node: 'auto' },
        restart: 'always',
      })
      .catch((e: unknown) => e);
    t.ok(isProcwireError(error, 'TOOLCHAIN_NOT_FOUND'), String(error));
    t.match(
      (error as Error).message,
      /^child "old": no installed node satisfies "17\.1\.0" from .*\/app\/\.nvmrc\. Searched: nvm .*PATH \(node .*\)\. Install it: procwire toolchain install node@17\.1\.0$/,
    );
    t.same(states, ['starting', 'failed'], 'never spawned, and failed at once under restart: always');
    t.equal(sup.get('old'), undefined, 'the id is free again');
  },
);

t.test('a bare command found nowhere is SPAWN_FAILED (ENOENT, not retried) saying where it looked', async (t) => {
  const home = new FakeHome(t);
  const project = home.project('app/src');
  const sup = await startSupervisor(t);
  const error = await sup
    .spawn({ id: 'ghost', command: 'no-such-tool-9', cwd: project, env: home.env, connect: 'none', restart: 'always' })
    .catch((e: unknown) => e);
  t.ok(isProcwireError(error, 'SPAWN_FAILED'), String(error));
  t.match(
    (error as Error).message,
    `child "ghost": could not spawn "no-such-tool-9": ENOENT: no such command in node_modules/.bin from ${project} up to /node_modules/.bin nor on PATH (${home.env.PATH})`,
  );
  t.equal(sup.get('ghost'), undefined);
});
