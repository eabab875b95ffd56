import { dirname, join, resolve } from 'node:path';
import { type NpmCmdShim, readNpmCmdShim } from './npm-cmd-shim.js';
import { findIn, pathDirs, pathValueOf } from './path-search.js';
import type { ToolchainEnv } from './types.js';

/** Where a bare command was found, or every directory looked in when it was not. */
export interface CommandLookup {
  path: string | undefined;
  /** Set when `path` is an npm `.cmd` shim (Windows): run its script with Node instead. */
  shim?: NpmCmdShim;
  /** `node_modules/.bin` from the cwd upward, in the order looked in. */
  binDirs: string[];
  /** The PATH directories, in order. */
  pathDirs: string[];
}

/** True for a command given as a name (`tsc`), not a path (`./tsc`, `/usr/bin/tsc`). */
export function isBareCommand(command: string, platform: NodeJS.Platform = process.platform): boolean {
  return !command.includes('/') && !(platform === 'win32' && (command.includes('\\') || /^[A-Za-z]:/.test(command)));
}

/**
 * Looks a bare command up as `npm run` does: `node_modules/.bin` in the cwd and each directory
 * above it, then the PATH of `env`. On Windows what can be spawned without a shell counts
 * (`.exe`, `.com`), and in each directory after them an npm `.cmd` shim, returned with the
 * Node script it runs; any other `.cmd` or `.bat` needs `cmd.exe /c`.
 */
export function lookupCommand(
  command: string,
  options: { cwd: string; env: ToolchainEnv; platform?: NodeJS.Platform },
): CommandLookup {
  const platform = options.platform ?? process.platform;
  const env = platform === 'win32' ? { ...options.env, PATHEXT: '.EXE;.COM' } : options.env;
  const binDirs: string[] = [];
  for (let dir = resolve(options.cwd); ; dir = dirname(dir)) {
    binDirs.push(join(dir, 'node_modules', '.bin'));
    if (dirname(dir) === dir) break;
  }
  const dirs = pathDirs(pathValueOf(env));
  if (platform !== 'win32') {
    const path = findIn(binDirs, command, env, platform) ?? findIn(dirs, command, env, platform);
    return { path, binDirs, pathDirs: dirs };
  }
  for (const dir of [...binDirs, ...dirs]) {
    const path = findIn([dir], command, env, platform);
    if (path !== undefined) return { path, binDirs, pathDirs: dirs };
    const shimPath = join(dir, `${command}.cmd`);
    const shim = readNpmCmdShim(shimPath);
    if (shim !== undefined) return { path: shimPath, shim, binDirs, pathDirs: dirs };
  }
  return { path: undefined, binDirs, pathDirs: dirs };
}
