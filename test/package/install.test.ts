// Proves procwire installs and works as a package: `npm pack` builds the tarball through the
// package's own prepack/prepare scripts, `npm install <tarball>` puts it in a fresh project
// (its dependencies come from the registry), and a parent there imports 'procwire' and
// supervises one CommonJS and one ESM child that import 'procwire/child', and an app with no
// procwire code under the preload. Each entry of the SDK loads its deferred JSON-RPC part from
// beside itself to serve requests and the shutdown, so every part must ship.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { cp, lstat, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// npm install waits on the registry; everything else here takes a few seconds.
t.setTimeout(180_000);

/**
 * The environment a user's shell would give npm and node: ours minus what tap adds and minus
 * what npm adds to describe the `npx`/`npm test` that may be running us (this repo's package
 * and lifecycle). Registry, cache and TLS settings stay, so npm reaches the same registry.
 */
function userEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    // npm_config_install_strategy comes from this repo's .npmrc (see README): a user's install is hoisted.
    if (
      /^(NODE_OPTIONS|TAP|TAP_.*|_TAPJS_.*|INIT_CWD|npm_package_.*|npm_lifecycle_.*|npm_command|npm_execpath|npm_node_execpath|npm_config_local_prefix|npm_config_install_strategy)$/i.test(
        key,
      )
    )
      continue;
    env[key] = value;
  }
  return env;
}

/**
 * Command and args that run `command` in exactly userEnv(). tap's process-info hook patches
 * spawn so that every process we start gets its NODE_OPTIONS (an --import that installs a
 * require hook) whatever env we pass (test/setup/without-tap-spawn-hook.mjs removes it, but a
 * user's install must not depend on that), and under that hook TypeScript 7's ESM `bin/tsc`
 * fails to load in the build (ERR_REQUIRE_CYCLE_MODULE). `env -i` runs with only our pairs.
 */
function inUserEnv(command: string, args: string[]): [string, string[]] {
  if (process.platform === 'win32') return [command, args];
  const pairs = Object.entries(userEnv()).map(([key, value]) => `${key}=${value}`);
  return ['env', ['-i', ...pairs, command, ...args]];
}

interface Run {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it fails or exceeds `timeoutMs`. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [file, argv] = inUserEnv(command, args);
    execFile(
      file,
      argv,
      {
        cwd,
        env: userEnv(),
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        shell: process.platform === 'win32',
      },
      (error, stdout, stderr) => {
        if (error) {
          // Not error.message: that quotes the whole `env -i` command line, environment and all.
          const how = error.killed ? `was killed after ${timeoutMs} ms` : `exited with ${error.code ?? error.signal}`;
          reject(
            new Error(`${command} ${args.join(' ')} (in ${cwd}) ${how}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** A fresh temp dir (symlinks resolved, so paths compare equal to what Node resolves), removed when `t` ends. */
async function tempDir(t: Test, prefix: string): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

// Top-level entries of the repo that are not package sources: the staged copy leaves them out.
const notSources = new Set(['node_modules', 'dist', '.git', '.tap', 'coverage']);

/**
 * Packs the package the way `npm publish` would. It packs a copy of the repo with no dist/
 * (node_modules linked back), so the tarball's dist/ exists only because npm ran the package's
 * own build scripts, and so the rebuild cannot delete the repo's dist/ under tests running
 * alongside this one.
 */
async function pack(t: Test): Promise<{ tarball: string; files: string[]; built: string[] }> {
  const stage = await tempDir(t, 'procwire-stage-');
  await cp(repoRoot, stage, {
    recursive: true,
    filter: (source) => {
      const relative = source.slice(repoRoot.length);
      return !notSources.has(relative.split(/[\\/]/)[0] ?? '');
    },
  });
  await symlink(join(repoRoot, 'node_modules'), join(stage, 'node_modules'), 'junction');
  const out = await tempDir(t, 'procwire-pack-');
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', out], stage, 120_000);
  let packed: PackResult[];
  try {
    packed = JSON.parse(stdout) as PackResult[];
  } catch {
    throw new Error(`npm pack --json printed something other than JSON:\n${stdout}`);
  }
  const result = packed[0];
  if (packed.length !== 1 || result === undefined) throw new Error(`expected one packed package, got ${stdout}`);
  // What the package's build wrote, whatever the names: all of it must ship.
  const built = (await readdir(join(stage, 'dist'), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(stage.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
  return {
    tarball: join(out, basename(result.filename)),
    files: result.files.map((f) => f.path).sort(),
    built,
  };
}

const cjsChild = `// A CommonJS child, as a user would write it.
const { connect } = require('procwire/child');

connect().then(
  (parent) => {
    parent.onRequest('echo', (params) => params);
    parent.onRequest('where', () => ({
      format: 'cjs',
      sdk: require.resolve('procwire/child'),
      pid: process.pid,
      // The SDK's files this process has loaded by now, from the installed package.
      parts: Object.keys(require.cache).filter((file) => file.includes('procwire/dist/')).sort(),
    }));
    parent.ready();
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
`;

const esmChild = `// An ESM child, as a user would write it.
import { fileURLToPath } from 'node:url';
import { connect } from 'procwire/child';

const parent = await connect();
parent.onRequest('echo', (params) => params);
parent.onRequest('where', () => ({ format: 'esm', sdk: fileURLToPath(import.meta.resolve('procwire/child')), pid: process.pid }));
parent.ready();
`;

const plainApp = `// An app with no procwire code; the preload supervises it.
setInterval(() => undefined, 1000);
`;

const parentScript = `// The parent, as a user would write it: spawn both children, talk to them, shut down.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Supervisor, childSdkPath, childSdkStandalonePath, registerPath } from 'procwire';
import * as procwire from 'procwire';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const sup = await Supervisor.start();
const report = {
  library: fileURLToPath(import.meta.resolve('procwire')),
  bundles: { childSdkPath, registerPath, exist: existsSync(childSdkPath) && existsSync(registerPath), register: createRequire(import.meta.url).resolve('procwire/child/register'), childSdkStandalonePath, standalone: createRequire(import.meta.url).resolve('procwire/child/standalone'), standaloneConnects: typeof createRequire(import.meta.url)('procwire/child/standalone').connect },
  children: {},
  // What CONTROL.md says scripts may import, beside the control API itself.
  control: ['createControlHandler', 'serveControlSocket', 'requestJson', 'streamEvents', 'ControlRequestError'].map((name) => [name, typeof procwire[name]]),
  // What the README's errors section says a refused request rejects with.
  responseError: typeof procwire.ResponseError,
};
try {
  const preloaded = await sup.spawn({ id: 'preload', command: process.execPath, args: ['--require', registerPath, here('plain.cjs')] });
  report.preload = { stateAfterSpawn: preloaded.state.kind };
  for (const [id, file] of [['cjs', 'child.cjs'], ['esm', 'child.mjs']]) {
    const child = await sup.spawn({ id, command: process.execPath, args: [here(file)] });
    report.children[id] = {
      stateAfterSpawn: child.state.kind,
      pid: child.pid,
      // A timeout, so that a child that cannot serve requests fails this in seconds.
      echo: await child.sendRequest('echo', { from: id, n: 42, nested: { list: [1, 'two', null] } }, { timeout: '10s' }),
      where: await child.sendRequest('where', undefined, { timeout: '10s' }),
    };
  }
} finally {
  await sup.shutdown();
}
for (const [id, child] of sup.children) (id === 'preload' ? report.preload : report.children[id]).afterShutdown = child.state;
console.log(JSON.stringify(report));
`;

interface ChildReport {
  stateAfterSpawn: string;
  pid: number;
  echo: unknown;
  where: { format: string; sdk: string; pid: number; parts?: string[] };
  afterShutdown: AfterShutdown;
}

type AfterShutdown = {
  kind: string;
  result?: { exitCode: number | null; signal: string | null; termination: string };
};

interface ParentReport {
  library: string;
  bundles: {
    childSdkPath: string;
    registerPath: string;
    exist: boolean;
    register: string;
    childSdkStandalonePath: string;
    standalone: string;
    standaloneConnects: string;
  };
  children: Record<string, ChildReport>;
  control: [string, string][];
  responseError: string;
  preload: { stateAfterSpawn: string; afterShutdown: AfterShutdown };
}

t.test('procwire packs, installs from the tarball, and runs CJS and ESM children', async (t) => {
  const { tarball, files, built } = await pack(t);

  await t.test('the tarball ships the built package and no sources or tests', async (t) => {
    for (const shipped of [
      'package.json',
      'schema/procwire.config.schema.json',
      'dist/cli.cjs',
      'dist/src/cli/main.js',
      'dist/child.cjs',
      'dist/child.mjs',
      'dist/child-wire.cjs',
      'dist/child-wire.mjs',
      'dist/child-rpc.cjs',
      'dist/child-rpc.mjs',
      'dist/register.cjs',
      'dist/child-standalone.cjs',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/child-sdk/index.d.ts',
      'docs/PROTOCOL.md',
    ]) {
      t.ok(files.includes(shipped), `ships ${shipped}`);
    }
    t.same(
      built.filter((f) => !files.includes(f)),
      [],
      `ships every file the build wrote to dist/ (${built.length})`,
    );
    t.same(
      files.filter((f) => f.startsWith('test/')),
      [],
      'ships nothing from test/',
    );
    t.ok(files.includes('child-sdk/python/procwire_child.py'), 'ships the Python client');
    t.same(
      files.filter((f) => /^(src|child-sdk)\//.test(f) && !f.startsWith('child-sdk/python/')),
      [],
      'ships no src/ or child-sdk/ TypeScript sources',
    );
    t.same(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      [],
      'ships no .ts files other than declarations',
    );
  });

  const project = await tempDir(t, 'procwire-consumer-');
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  await run(npm, ['install', '--no-audit', '--no-fund', tarball], project, 150_000);

  const installed = join(project, 'node_modules', 'procwire');
  t.notOk((await lstat(installed)).isSymbolicLink(), 'procwire is installed as a copy, not linked to the repo');
  const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  t.match(manifest.dependencies?.procwire, /procwire-0\.1\.0\.tgz$/, 'the project depends on the tarball');
  for (const dep of ['vscode-jsonrpc', 'ms']) {
    const depManifest = JSON.parse(await readFile(join(project, 'node_modules', dep, 'package.json'), 'utf8')) as {
      name: string;
    };
    t.equal(depManifest.name, dep, `dependency ${dep} was installed`);
  }

  await writeFile(join(project, 'child.cjs'), cjsChild);
  await writeFile(join(project, 'child.mjs'), esmChild);
  await writeFile(join(project, 'plain.cjs'), plainApp);
  await writeFile(join(project, 'parent.mjs'), parentScript);
  const { stdout } = await run(process.execPath, ['parent.mjs'], project, 60_000);

  const bin = join(project, 'node_modules', '.bin', 'procwire');
  const version = await run(bin, ['--version'], project, 30_000);
  t.equal(version.stdout.trim(), '0.1.0', 'the procwire command is installed and runs');
  // The bin is one bundled file (dist/cli.cjs); ps exercises its client side, and run its import()
  // of the unbundled supervisor beside it, with the dependencies from the registry.
  await writeFile(join(project, 'procwire.config.json'), '[]');
  const noRun = await run(bin, ['ps'], project, 30_000).then(
    () => 'exited with 0',
    (error: Error) => error.message,
  );
  t.match(
    noRun,
    /exited with 2[\s\S]*no procwire run is serving procwire\.config\.json/,
    'procwire ps: no run, exit 2',
  );
  const once = [
    { id: 'once', command: process.execPath, args: ['-e', 'console.log("hello from once")'], connect: 'none' },
  ];
  await writeFile(join(project, 'once.json'), JSON.stringify(once));
  const ran = await run(bin, ['run', 'once.json'], project, 60_000);
  t.match(ran.stdout, /once +\| hello from once[\s\S]*all critical children ok/, 'procwire run supervises a child');

  const lines = stdout.trim().split('\n');
  t.equal(lines.length, 1, 'the parent prints exactly its report');
  const report = JSON.parse(lines[0] ?? '') as ParentReport;

  t.equal(
    report.library,
    join(installed, 'dist', 'src', 'index.js'),
    "the parent's 'procwire' is the installed dist/src/index.js",
  );
  t.same(
    report.bundles,
    {
      childSdkPath: join(installed, 'dist', 'child.cjs'),
      registerPath: join(installed, 'dist', 'register.cjs'),
      exist: true,
      register: join(installed, 'dist', 'register.cjs'),
      childSdkStandalonePath: join(installed, 'dist', 'child-standalone.cjs'),
      standalone: join(installed, 'dist', 'child-standalone.cjs'),
      standaloneConnects: 'function',
    },
    'the SDK paths point into the installed package; procwire/child/register and procwire/child/standalone resolve',
  );
  t.same(
    report.control,
    ['createControlHandler', 'serveControlSocket', 'requestJson', 'streamEvents', 'ControlRequestError'].map((name) => [
      name,
      'function',
    ]),
    "the control API's server and client are exported from 'procwire'",
  );
  t.equal(report.responseError, 'function', "ResponseError is exported from 'procwire'");
  t.same(Object.keys(report.children), ['cjs', 'esm'], 'both children reported');
  for (const [id, bundle] of [
    ['cjs', 'child.cjs'],
    ['esm', 'child.mjs'],
  ] as const) {
    const child = report.children[id];
    if (child === undefined) continue;
    t.equal(child.stateAfterSpawn, 'running', `${id} child reached running`);
    t.strictSame(child.echo, { from: id, n: 42, nested: { list: [1, 'two', null] } }, `${id} child echoed the object`);
    t.equal(child.where.format, id, `${id} child ran as ${id}`);
    t.equal(child.where.sdk, join(installed, 'dist', bundle), `${id} child loaded the installed dist/${bundle}`);
    t.equal(child.where.pid, child.pid, `${id} child answered from the supervised pid`);
    t.equal(child.afterShutdown.kind, 'stopped', `${id} child is stopped after shutdown`);
    t.match(
      child.afterShutdown.result,
      { exitCode: 0, signal: null, termination: 'clean' },
      `${id} child exited cleanly on shutdown`,
    );
  }
  t.same(
    report.children.cjs?.where.parts,
    ['child-rpc.cjs', 'child-wire.cjs', 'child.cjs'].map((file) => join(installed, 'dist', file)),
    'the CJS child loaded the entry, the wire part and, to serve requests, the JSON-RPC part, all installed',
  );
  t.equal(report.preload.stateAfterSpawn, 'running', 'the app under the installed preload reached running');
  t.match(
    report.preload.afterShutdown,
    { kind: 'stopped', result: { exitCode: 0, signal: null, termination: 'clean' } },
    "the preload's deferred part served the shutdown request: a clean exit",
  );
});
