import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { realpathSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, tempDir } from './run-cli.js';

// A verb that talks to a run (ps, logs, wait, ...) and `--version` should cost Node's start plus
// one file: dist/cli.cjs holds the dispatcher and the whole client side, so nothing else is
// resolved, read or compiled, and Node's ESM loader is never started (scripts/build-cli.mjs). The
// supervisor (vscode-jsonrpc) and the toolchain resolver (semver) load only for `run` and
// `toolchain`, by import() of the unbundled modules. A preload reports what the process loaded:
// every CommonJS file, and whether the ESM loader (which every import() goes through) was loaded.
const root = realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
const report = `process.on('exit', () => process.stderr.write('\\n' + JSON.stringify({
  files: Object.keys(require.cache).filter((file) => file !== __filename),
  esmLoader: process.moduleLoadList.includes('NativeModule internal/modules/esm/loader'),
})));`;

interface Loaded {
  status: number | null;
  files: string[];
  esmLoader: boolean;
}

function loadedBy(t: Test, args: string[]): Loaded {
  const dir = tempDir(t, 'procwire-start-cost-');
  const preload = join(dir, 'report.cjs');
  writeFileSync(preload, report);
  writeFileSync(join(dir, 'procwire.config.json'), '[]');
  // Without NODE_OPTIONS, through env(1): a preload there (tap's, which test/setup removes, or a
  // shell's) would start the ESM loader. Where there is no env(1) (Windows) tap's files
  // are left out of the count and the loader is not judged. The runtime dir is empty, so `ps`
  // goes all the way to the socket and finds no run there.
  const node = [process.execPath, '--require', preload, cli, ...args];
  const withEnv = process.platform !== 'win32';
  const [command, argv] = withEnv ? ['env', ['-u', 'NODE_OPTIONS', ...node]] : [node[0] as string, node.slice(1)];
  const proc = spawnSync(command, argv, { cwd: dir, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: dir } });
  const last = proc.stderr.trim().split('\n').at(-1) ?? '';
  const { files, esmLoader } = JSON.parse(last) as Omit<Loaded, 'status'>;
  const ours = files.map((file) => relative(root, file).split('\\').join('/'));
  return {
    status: proc.status,
    files: withEnv ? ours : ours.filter((file) => !file.startsWith('node_modules/tap/')),
    esmLoader: withEnv ? esmLoader : false,
  };
}

t.test('procwire ps, logs and --version load dist/cli.cjs and nothing else', async (t) => {
  for (const args of [['ps'], ['logs', 'web'], ['wait', 'web', '--for', 'ready'], ['--version']]) {
    const loaded = loadedBy(t, args);
    t.same(
      { files: loaded.files, esmLoader: loaded.esmLoader },
      { files: ['dist/cli.cjs'], esmLoader: false },
      `procwire ${args.join(' ')}`,
    );
    t.equal(loaded.status, args[0] === '--version' ? 0 : 2, `procwire ${args.join(' ')} exit code (2: no run)`);
  }
});

t.test('the report sees what a verb loads beyond the bundle: toolchain loads the resolver and semver', async (t) => {
  const loaded = loadedBy(t, ['toolchain', 'which']);
  t.ok(loaded.esmLoader, 'import() started the ESM loader');
  t.ok(
    loaded.files.some((file) => file.startsWith('node_modules/semver/')),
    `semver among ${loaded.files.length} files`,
  );
});
