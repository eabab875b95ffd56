import t from 'tap';
import { mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildSpec, Supervisor } from '../../src/index.js';
import { resolveRuntime } from '../../src/toolchain/index.js';
import { startSupervisor, within } from '../helpers/index.js';

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
