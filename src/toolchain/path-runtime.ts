import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import semver from 'semver';
import { findIn, pathDirs, pathValueOf } from './path-search.js';
import type { RuntimeName, SearchedPlace, ToolchainEnv } from './types.js';

const COMMANDS: Record<RuntimeName, readonly string[]> = { node: ['node'], python: ['python3', 'python'] };
const versions = new Map<string, string | undefined>();

/**
 * The runtime the child's PATH would run (`node`; `python3`, then `python`), with its version
 * asked of the binary itself (`--version`). The answer is remembered per binary (its mtime and
 * size) and cwd, since a version manager's shim answers for the directory it runs in.
 */
export function pathRuntime(runtime: RuntimeName, env: ToolchainEnv, cwd: string): SearchedPlace {
  const pathValue = pathValueOf(env);
  const place: SearchedPlace = { manager: 'PATH', dir: pathValue, status: 'found', installed: [], ignored: [] };
  const dirs = pathDirs(pathValue);
  for (const command of COMMANDS[runtime]) {
    const path = findIn(dirs, command, env);
    if (path === undefined) continue;
    const version = versionOf(path, runtime, env, cwd);
    if (version === undefined) place.ignored.push(`${path} (did not say its version)`);
    else {
      place.installed.push({ version, path, manager: 'PATH' });
      return place;
    }
  }
  return place;
}

function versionOf(path: string, runtime: RuntimeName, env: ToolchainEnv, cwd: string): string | undefined {
  let key: string;
  const dir = existingDir(cwd);
  try {
    const stats = statSync(path);
    key = `${path}\0${stats.mtimeMs}\0${stats.size}\0${dir}`;
  } catch {
    return undefined;
  }
  if (versions.has(key)) return versions.get(key);
  // A preload meant for the parent's Node (NODE_OPTIONS) must not break another runtime's answer.
  const { NODE_OPTIONS: _preloads, ...quiet } = env;
  const answer = spawnSync(path, ['--version'], {
    cwd: dir,
    env: quiet as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 10_000,
    windowsHide: true,
  });
  // Python 2 says its version on stderr.
  const text = `${answer.stdout ?? ''} ${answer.stderr ?? ''}`;
  const match = runtime === 'node' ? /\bv(\d+\.\d+\.\d+\S*)/.exec(text) : /Python (\d+\.\d+\.\d+\S*)/.exec(text);
  const version = match?.[1] === undefined ? undefined : (semver.valid(match[1]) ?? match[1]);
  versions.set(key, version);
  return version;
}

// A cwd that does not exist (yet) would make the spawn fail and the runtime read as absent;
// a shim asked from the nearest directory that does exist answers as it would there.
function existingDir(cwd: string): string {
  let dir = cwd;
  for (;;) {
    try {
      if (statSync(dir).isDirectory()) return dir;
    } catch {}
    const parent = dirname(dir);
    if (parent === dir) return dir;
    dir = parent;
  }
}

/** Forgets the versions PATH's binaries gave. */
export function forgetPathVersions(): void {
  versions.clear();
}
