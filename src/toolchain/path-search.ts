import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { executableStatus } from './fs-cache.js';
import type { ToolchainEnv } from './types.js';

/** The PATH of an environment (on Windows its key may be spelled `Path`). */
export function pathValueOf(env: ToolchainEnv): string {
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  return env[key] ?? '';
}

/** The directories of a PATH value, empty entries dropped (they would mean the cwd). */
export function pathDirs(pathValue: string): string[] {
  return pathValue.split(delimiter).filter((dir) => dir !== '' && isAbsolute(dir));
}

/**
 * The file names to try for a command: itself, and on Windows with each PATHEXT extension. On
 * Windows the name as given counts only when it already ends in one of them: npm puts a `tsc`
 * shell script beside `tsc.cmd` in node_modules/.bin, and Windows cannot run it.
 */
export function candidateNames(command: string, env: ToolchainEnv, platform: NodeJS.Platform): string[] {
  if (platform !== 'win32') return [command];
  const extensions = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .filter((ext) => ext !== '')
    .map((ext) => ext.toLowerCase());
  const given = extensions.some((ext) => command.toLowerCase().endsWith(ext)) ? [command] : [];
  return [...given, ...extensions.map((ext) => command + ext)];
}

/** The first executable `command` in `dirs`, as an absolute path. */
export function findIn(
  dirs: readonly string[],
  command: string,
  env: ToolchainEnv,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const names = candidateNames(command, env, platform);
  for (const dir of dirs) {
    for (const name of names) {
      const path = resolve(join(dir, name));
      if (executableStatus(path) === 'ok') return path;
    }
  }
  return undefined;
}
