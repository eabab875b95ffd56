import t from 'tap';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildSpec, Supervisor } from '../../src/index.js';
import { resolveRuntime } from '../../src/toolchain/index.js';
import { startSupervisor, thrownBy as failure, within } from '../helpers/index.js';

// Python pins through the machine's real pyenv: the versions it built, run for real.

const pyenvRoot = process.env.PYENV_ROOT || join(homedir(), '.pyenv');
const installed = (() => {
  try {
    return readdirSync(join(pyenvRoot, 'versions'));
  } catch {
    return [];
  }
})();
const newest = (prefix: string): string | undefined =>
  installed
    .filter((name) => name.startsWith(`${prefix}.`) && /^\d+\.\d+\.\d+$/.test(name))
    .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]))[0];
const py39 = newest('3.9');
const py27 = newest('2.7');
const skip =
  (py39 === undefined || py27 === undefined) &&
  `pyenv with Python 3.9 and 2.7 is not installed at ${pyenvRoot}/versions (found: ${installed.join(', ') || 'nothing'})`;

/** Runs a plain child until it exits and returns its stdout lines. */
async function printed(sup: Supervisor, spec: ChildSpec): Promise<string[]> {
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) =>
    sup.on('child', (child) => {
      if (child.id !== spec.id) return;
      child.on('stdout', (line) => lines.push(line));
      child.on('state', (state) => state.kind === 'exited' && resolve());
    }),
  );
  await sup.spawn({ connect: 'none', restart: 'never', ...spec });
  await within(exited, `child "${spec.id}" to exit`);
  return lines;
}

const SAY = ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)'];

t.test(
  'a .python-version of 3.9 runs Python 3.9 from pyenv, whichever python command is asked for',
  { skip },
  async (t) => {
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-python-')));
    t.teardown(() => rmSync(project, { recursive: true, force: true }));
    // pyenv lets a line list several versions; the first is the one it prefers.
    writeFileSync(join(project, '.python-version'), '3.9 2.7\n');
    const sup = await startSupervisor(t);
    const spec = { cwd: project, runtime: { python: 'auto' } };
    const [version, executable] = await printed(sup, { id: 'py3', command: 'python3', args: SAY, ...spec });
    t.equal(version, py39);
    t.equal(executable, join(pyenvRoot, 'versions', py39!, 'bin', 'python'));
    t.match(sup.get('py3')?.runtime, {
      name: 'python',
      version: py39,
      source: join(project, '.python-version'),
      pin: '3.9',
      manager: 'pyenv',
    });

    t.same(await printed(sup, { id: 'py', command: 'python', args: SAY, ...spec }), [py39, executable], '`python` too');
    t.same(
      (await printed(sup, { id: 'py27', command: 'python3', args: SAY, cwd: project, runtime: { python: '2.7' } }))[0],
      py27,
      'the spec’s pin over the file, even where python3 is not its name',
    );
    writeFileSync(join(project, '.python-version'), '');
    const error = await sup.spawn({ id: 'empty', command: 'python3', args: SAY, ...spec }).catch((e: unknown) => e);
    t.match(error, {
      code: 'TOOLCHAIN_NOT_FOUND',
      message: /\.python-version is empty; write a version such as 3\.11 in it/,
    });
    rmSync(join(project, '.python-version'));
    writeFileSync(join(project, '.tool-versions'), `nodejs 18\npython ${py27} 3.9.1\n`);
    t.same(
      await printed(sup, { id: 'tools', command: 'python3', args: SAY, ...spec }),
      [py27, join(pyenvRoot, 'versions', py27!, 'bin', 'python')],
      '.tool-versions: its first python',
    );
  },
);

const py310 = newest('3.10');
const pyenvBin = join(pyenvRoot, 'bin', 'pyenv');
const skipPyenv =
  (py39 === undefined || py310 === undefined || !existsSync(pyenvBin)) &&
  `pyenv (${pyenvBin}) with Python 3.9 and 3.10 is not installed (found: ${installed.join(', ') || 'nothing'})`;

/** What pyenv itself says of `args` in `cwd`: its exit code and output. */
function askPyenv(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const answer = spawnSync(pyenvBin, args, { cwd, encoding: 'utf8', env: { ...process.env, PYENV_VERSION: '' } });
  return { code: answer.status, out: `${answer.stdout}${answer.stderr}`.trim() };
}

const skipFallbacks = py39 === undefined && `pyenv with Python 3.9 is not installed at ${pyenvRoot}/versions`;

const resolvePython = (cwd: string, pin = 'auto') =>
  resolveRuntime({ name: 'python', pin }, { cwd, env: process.env, childId: 'py' });

t.test(
  'a .tool-versions python line that lists several versions runs the first installed one',
  { skip: skipFallbacks },
  async (t) => {
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-python-')));
    t.teardown(() => rmSync(project, { recursive: true, force: true }));
    // asdf and mise read several versions as a fallback list; 3.99.1 exists nowhere.
    writeFileSync(join(project, '.tool-versions'), 'python 3.99.1 3.9 system\n');
    const sup = await startSupervisor(t);
    const spec = { cwd: project, runtime: { python: 'auto' } };
    t.same(await printed(sup, { id: 'tools', command: 'python3', args: SAY, ...spec }), [
      py39,
      join(pyenvRoot, 'versions', py39!, 'bin', 'python'),
    ]);
    t.match(sup.get('tools')?.runtime, { pin: '3.9', listed: ['3.99.1', '3.9', 'system'], manager: 'pyenv' });
    writeFileSync(join(project, '.tool-versions'), 'python 3.99.1 system\n');
    t.match(resolvePython(project), { pin: 'system', manager: 'PATH' }, 'system: the python on PATH');
  },
);

t.test(
  'a python- prefix reads as pyenv reads it, and the install hint is a command pyenv accepts',
  { skip: skipPyenv },
  async (t) => {
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-python-')));
    t.teardown(() => rmSync(project, { recursive: true, force: true }));
    const pinFile = join(project, '.python-version');
    writeFileSync(pinFile, 'python-3.10\n');
    t.same(askPyenv(project, 'version-name'), { code: 0, out: py310 }, 'pyenv reads python-3.10 as 3.10');
    const sup = await startSupervisor(t);
    t.same(
      await printed(sup, { id: 'prefixed', command: 'python3', args: SAY, cwd: project, runtime: { python: 'auto' } }),
      [py310, join(pyenvRoot, 'versions', py310!, 'bin', 'python')],
    );
    t.match(sup.get('prefixed')?.runtime, { pin: 'python-3.10', version: py310, manager: 'pyenv' });

    // 3.5 is a version python-build knows and this machine has not built.
    writeFileSync(pinFile, 'python-3.5\n');
    const missing = failure(() => resolvePython(project));
    t.match(
      missing.message,
      /^child "py": no installed python satisfies "python-3\.5" \(3\.5\) from .*\.python-version\./,
    );
    t.match(missing.message, /\. Install it: pyenv install 3\.5$/);
    const hinted = /pyenv install (\S+)$/.exec(missing.message)?.[1] ?? '';
    t.equal(askPyenv(project, 'latest', '--known', hinted).code, 0, `pyenv install resolves ${hinted} as it would`);

    writeFileSync(pinFile, 'cpython-3.10\n');
    t.not(askPyenv(project, 'latest', '--known', 'cpython-3.10').code, 0, 'pyenv knows no cpython-3.10');
    const unknown = failure(() => resolvePython(project));
    t.match(
      unknown.message,
      new RegExp(
        '\\. "cpython-3\\.10" is not a Python version pyenv knows \\(its names are like 3\\.12\\.1, 3\\.12 or ' +
          `pypy3\\.10-7\\.3\\.12; \`pyenv install --list\` shows them all\\): write one in ${pinFile.replace(/\./g, '\\.')}$`,
      ),
    );
    t.notMatch(unknown.message, /pyenv install cpython/, 'no command pyenv would refuse');
    t.match(
      failure(() => resolvePython(project, 'python3.10')).message,
      /"python3\.10" is not a Python version pyenv knows .*: pin one in the spec's runtime\.python$/,
    );
  },
);

t.test(
  'a build that is not CPython (pypy, miniconda) is found under its own name in pyenv, and runs',
  { skip },
  async (t) => {
    // A pyenv root laid out as pyenv installs such builds, each a real Python (this machine's 3.9).
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-pyenv-')));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    for (const name of ['pypy3.10-7.3.12', 'miniconda3-latest', '3.9.99']) {
      mkdirSync(join(root, 'versions', name, 'bin'), { recursive: true });
      symlinkSync(join(pyenvRoot, 'versions', py39!, 'bin', 'python'), join(root, 'versions', name, 'bin', 'python'));
    }
    mkdirSync(join(root, 'versions', '.cache')); // not a version: never listed
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-python-')));
    t.teardown(() => rmSync(project, { recursive: true, force: true }));
    const env = { ...process.env, PYENV_ROOT: root };
    const resolveIn = (pin: string) => resolveRuntime({ name: 'python', pin }, { cwd: project, env, childId: 'py' });
    for (const name of ['pypy3.10-7.3.12', 'miniconda3-latest']) {
      t.match(resolveIn(name), {
        version: name,
        manager: 'pyenv',
        path: join(root, 'versions', name, 'bin', 'python'),
      });
    }
    t.match(resolveIn('3'), { version: '3.9.99' }, 'a range still takes the highest CPython, not a flavour');
    writeFileSync(join(project, '.python-version'), 'pypy3.10-7.3.12\n');
    const sup = await startSupervisor(t);
    const [version] = await printed(sup, {
      id: 'pypy',
      command: 'python',
      args: SAY,
      cwd: project,
      env,
      runtime: { python: 'auto' },
    });
    t.equal(version, py39, 'the child ran on the build the pin names');
    t.match(sup.get('pypy')?.runtime, { version: 'pypy3.10-7.3.12', pin: 'pypy3.10-7.3.12', manager: 'pyenv' });
  },
);
