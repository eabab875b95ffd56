import t, { type Test } from 'tap';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exitOf, spawnTracked } from '../helpers/index.js';
import { FakeHome, node18, NODE18_VERSION, RUNNING_VERSION, skipWithoutNode18 } from '../toolchain/fake-home.js';
import { cli, runCli, writeConfig } from './run-cli.js';

// `procwire toolchain which|list` and what `procwire run` says about runtimes, as processes.
// `install`: test/cli/toolchain-install.test.ts (a registry on 127.0.0.1).

async function procwire(t: Test, args: string[], env: Record<string, string>) {
  // Without any preload in NODE_OPTIONS (test/setup removes tap's; a shell may set others).
  const run = runCli(t, args, { env: { ...env, NODE_OPTIONS: '' } });
  const { code } = await exitOf(run.proc);
  return { code, out: run.lines.join('\n'), err: run.stderr() };
}

t.test(
  'toolchain which: version, path and source of the runtime a directory pins; exit 2 with what was searched',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    home.install('fnm', RUNNING_VERSION, process.execPath);
    const project = home.project('app', { '.nvmrc': '18' });
    const deep = home.project('app/src/lib');
    const nvmNode = join(home.home, '.nvm/versions/node', `v${NODE18_VERSION}`, 'bin/node');
    const which = await procwire(t, ['toolchain', 'which', '--cwd', deep], home.env);
    t.equal(which.code, 0, which.err);
    t.equal(
      which.out,
      `node ${NODE18_VERSION}\n  path     ${nvmNode}\n  source   ${join(project, '.nvmrc')} (pin 18)\n  manager  nvm`,
    );
    const fnmNode = join(home.home, '.local/share/fnm/node-versions', `v${RUNNING_VERSION}`, 'installation/bin/node');
    const pinned = await procwire(t, ['toolchain', 'which', 'node@>=19', '--cwd', deep, '--json'], home.env);
    t.same(JSON.parse(pinned.out), {
      name: 'node',
      version: RUNNING_VERSION,
      path: fnmNode,
      source: 'command line',
      pin: '>=19',
      manager: 'fnm',
    });

    const missing = await procwire(t, ['toolchain', 'which', 'node@16', '--cwd', deep], home.env);
    t.equal(missing.code, 2);
    t.equal(missing.out, '');
    // A pin file's problems (garbage, not JSON) are the same exit, from resolve.test.ts's errors.
    t.match(
      missing.err,
      /^procwire toolchain which: no installed node satisfies "16" from the command line\. Searched: nvm .*\(18\.20\.8\), fnm .*PATH \(node .*\)\. Install it: nvm install 16\n$/,
    );
    const usage = await procwire(t, ['toolchain', 'which', 'ruby'], home.env);
    t.equal(usage.code, 2);
    t.match(
      usage.err,
      /"ruby" is not a runtime; write node, python, node@18 or python@3\.11\nRun procwire toolchain which --help/,
    );
  },
);

t.test(
  'toolchain which: a .tool-versions line of several versions says which of them it chose',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    const asdfNode = home.install('asdf', NODE18_VERSION, node18!);
    const project = home.project('app', { '.tool-versions': `nodejs 20.11.1 ${NODE18_VERSION} system\n` });
    const which = await procwire(t, ['toolchain', 'which', '--cwd', project], home.env);
    t.equal(which.code, 0, which.err);
    t.equal(
      which.out,
      `node ${NODE18_VERSION}\n  path     ${asdfNode}\n  source   ${join(project, '.tool-versions')} ` +
        `(pin ${NODE18_VERSION}, the first installed of 20.11.1 ${NODE18_VERSION} system)\n  manager  asdf`,
    );
    const json = await procwire(t, ['toolchain', 'which', '--cwd', project, '--json'], home.env);
    t.match(JSON.parse(json.out), { pin: NODE18_VERSION, listed: ['20.11.1', NODE18_VERSION, 'system'] });
  },
);

t.test(
  'toolchain list: every version found, by manager, with what was ignored',
  { skip: skipWithoutNode18 },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', NODE18_VERSION, node18!);
    home.install('nvm', RUNNING_VERSION, process.execPath);
    home.install('asdf', '16.20.2', node18!);
    mkdirSync(join(home.home, '.volta/tools/image/node/19.0.0'), { recursive: true });
    const list = await procwire(t, ['toolchain', 'list', 'node'], home.env);
    t.equal(list.code, 0, list.err);
    const nvm = join(home.home, '.nvm/versions/node');
    t.equal(
      list.out,
      [
        'node',
        `  nvm       ${RUNNING_VERSION.padEnd(10)} ${nvm}/v${RUNNING_VERSION}/bin/node`,
        `            ${NODE18_VERSION.padEnd(10)} ${nvm}/v${NODE18_VERSION}/bin/node`,
        `  fnm       (none: ${home.home}/.local/share/fnm/node-versions is not there)`,
        `  volta     (none: ${home.home}/.volta/tools/image/node)`,
        '            ignored: 19.0.0 (no bin/node)',
        `  mise      (none: ${home.home}/.local/share/mise/installs/node is not there)`,
        `  asdf      ${'16.20.2'.padEnd(10)} ${home.home}/.asdf/installs/nodejs/16.20.2/bin/node`,
        `  procwire  (none: ${home.home}/.cache/procwire/node is not there)`,
        `  PATH      ${RUNNING_VERSION.padEnd(10)} ${home.pathBin}/node`,
      ].join('\n'),
    );
    const json = await procwire(t, ['toolchain', 'list', '--json'], home.env);
    t.same(
      JSON.parse(json.out).map((entry: { name: string }) => entry.name),
      ['node', 'python'],
    );
  },
);

t.test('procwire run says which runtime each child runs on, and why', { skip: skipWithoutNode18 }, async (t) => {
  const home = new FakeHome(t);
  // The running Node, so that the child runs on the same Node as the test.
  home.install('nvm', RUNNING_VERSION, process.execPath);
  const project = home.project('app', { '.nvmrc': RUNNING_VERSION });
  const config = writeConfig(t, [
    {
      id: 'tsc',
      command: 'node',
      args: ['-e', 'setInterval(() => {}, 1000)'],
      cwd: project,
      connect: 'none',
      env: home.env,
      runtime: { node: 'auto' },
    },
    {
      id: 'lost',
      command: 'node',
      args: ['-e', '0'],
      cwd: project,
      connect: 'none',
      env: home.env,
      runtime: { node: '15' },
      critical: false,
    },
  ]);
  const run = runCli(t, ['run', config, '--exit-after', '20s']);
  await run.waitFor(new RegExp(`^tsc\\s+\\| node ${RUNNING_VERSION.replace(/\./g, '\\.')} \\(\\.nvmrc\\)$`));
  await run.waitFor(/^tsc\s+\| running \(pid \d+\): ready$/);
  await run.waitFor(
    /^lost\s+\| failed: child "lost": no installed node satisfies "15" from the spec\. Searched: .* Install it: nvm install 15$/,
  );
  run.proc.kill('SIGTERM');
  t.same(await exitOf(run.proc), { code: 0, signal: null });
});

t.test(
  'a missing cwd fails as the same SPAWN_FAILED with or without a runtime, and toolchain --cwd says it is not there',
  async (t) => {
    const home = new FakeHome(t);
    const child = { command: 'node', args: ['-e', '0'], cwd: 'nope', connect: 'none', env: home.env };
    const config = writeConfig(t, [
      { id: 'pinned', ...child, runtime: { node: 'auto' }, critical: false },
      { id: 'plain', ...child, critical: false },
    ]);
    const missing = join(dirname(config), 'nope');
    const run = runCli(t, ['run', config]);
    for (const id of ['pinned', 'plain']) {
      await run.waitFor(
        new RegExp(
          `^${id}\\s+\\| failed: child "${id}": could not spawn "node": cwd "${missing}" does not exist ` +
            `\\(create it, or correct the child's cwd\\)$`,
        ),
      );
    }
    t.same(await exitOf(run.proc), { code: 0, signal: null }, 'neither child is critical');
    t.notMatch(run.lines.join('\n'), /TOOLCHAIN_NOT_FOUND|no node on PATH/);

    const which = await procwire(t, ['toolchain', 'which', 'node', '--cwd', join(home.root, 'nonexistent')], home.env);
    t.equal(which.code, 2);
    t.match(
      which.err,
      /^procwire toolchain which: --cwd ".*\/nonexistent" is not a directory \(give one that exists\)\n/,
    );
  },
);

t.test(
  'on a terminal the table has a RUNTIME column when a child pins one',
  { skip: process.platform !== 'linux' && 'uses util-linux script(1)' },
  async (t) => {
    const home = new FakeHome(t);
    home.install('nvm', RUNNING_VERSION, process.execPath);
    const project = home.project('app', { '.nvmrc': RUNNING_VERSION });
    const config = writeConfig(t, [
      {
        id: 'tsc',
        command: 'node',
        args: ['-e', 'setInterval(() => {}, 1000)'],
        cwd: project,
        connect: 'none',
        env: home.env,
        runtime: { node: 'auto' },
      },
      { id: 'plain', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], connect: 'none' },
    ]);
    const transcript = join(home.root, 'tty.out');
    // script(1) runs the command on a pseudo-terminal, so stdout.isTTY is true inside; the run ends by itself.
    const run = spawnTracked(t, 'script', [
      '-qfec',
      `stty cols 140; ${process.execPath} ${cli} run ${config} --exit-after 3s`,
      transcript,
    ]);
    t.same(await exitOf(run), { code: 0, signal: null });
    const screen = readFileSync(transcript, 'utf8');
    t.match(screen, /ID\s+STATE\s+PID\s+RESTARTS\s+UPTIME\s+ERR\s+WARN\s+RUNTIME\s+PORTS/, 'the header');
    t.match(
      screen,
      new RegExp(
        `tsc\\s+\\S*running\\S*\\s+\\d+\\s+0\\s+\\S+\\s+0\\s+0\\s+node ${RUNNING_VERSION.replace(/\./g, '\\.')}`,
      ),
      'the pinned child’s row',
    );
    t.match(
      screen,
      /plain\s+\S*running\S*\s+\d+\s+0\s+\S+\s+0\s+0\s+-?\s*\r?\n/,
      'a child without one shows nothing there',
    );
  },
);
