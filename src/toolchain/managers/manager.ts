import { homedir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import type { VersionLayout } from '../version-dir.js';
import type { RuntimeName, ToolchainEnv } from '../types.js';

/** One version manager: where it keeps each runtime's versions, and how a user installs one. */
export interface Manager {
  name: string;
  /** Where its versions of `runtime` live in this environment; none when it does not manage it. */
  layouts(runtime: RuntimeName, env: ToolchainEnv, platform: NodeJS.Platform): VersionLayout[];
  /** The command that installs a version satisfying `pin` (e.g. `nvm install 18`). */
  installCommand(runtime: RuntimeName, pin: string): string;
}

/** The user's home in the child's environment (HOME, USERPROFILE on Windows), else the OS's. */
export function homeOf(env: ToolchainEnv, platform: NodeJS.Platform): string {
  const home = platform === 'win32' ? (env.USERPROFILE ?? env.HOME) : env.HOME;
  return home !== undefined && home !== '' ? home : homedir();
}

/** `$XDG_DATA_HOME`, else `~/.local/share`. */
export function dataHome(env: ToolchainEnv, platform: NodeJS.Platform): string {
  return nonEmpty(env.XDG_DATA_HOME) ?? join(homeOf(env, platform), '.local', 'share');
}

/** A Windows folder variable (APPDATA, LOCALAPPDATA), else its usual place under the home. */
export function windowsFolder(env: ToolchainEnv, name: 'APPDATA' | 'LOCALAPPDATA'): string {
  const fallback = name === 'APPDATA' ? join('AppData', 'Roaming') : join('AppData', 'Local');
  return nonEmpty(env[name]) ?? join(homeOf(env, 'win32'), fallback);
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The version to name in an install command: the pin itself when it is one version, else
 * what managers accept as "the newest of": the major for Node (`>=18 <21` -> `18`), major.minor for Python.
 */
export function installableVersion(runtime: RuntimeName, pin: string): string {
  const exact = semver.valid(pin);
  if (exact) return exact;
  const range = semver.validRange(pin);
  const min = range === null ? null : semver.minVersion(range);
  if (min === null) return pin;
  return runtime === 'node' ? String(min.major) : `${min.major}.${min.minor}`;
}
