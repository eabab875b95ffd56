import { dirname, join, resolve } from 'node:path';
import { findIn, pathDirs, pathValueOf } from './path-search.js';
import type { ToolchainEnv } from './types.js';

/** Where a bare command was found, or every directory looked in when it was not. */
export interface CommandLookup {
  path: string | undefined;
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
 * above it, then the PATH of `env`. On Windows only what can be spawned without a shell counts
 * (`.exe`, `.com`): a `.cmd` shim needs `cmd.exe /c`.
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
  const path = findIn(binDirs, command, env, platform) ?? findIn(dirs, command, env, platform);
  return { path, binDirs, pathDirs: dirs };
}
