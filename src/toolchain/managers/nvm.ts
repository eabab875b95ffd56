import { join, resolve } from 'node:path';
import { readTextFile } from '../fs-cache.js';
import type { ToolchainEnv } from '../types.js';
import { homeOf, installableVersion, nonEmpty, windowsFolder, type Manager } from './manager.js';

/**
 * nvm: `$NVM_DIR` (default `~/.nvm`) `/versions/node/v*\/bin/node`. nvm-windows keeps
 * `v*\node.exe` directly under `%NVM_HOME%` (default `%APPDATA%\nvm`).
 */
export const nvm: Manager = {
  name: 'nvm',
  layouts(runtime, env, platform) {
    if (runtime !== 'node') return [];
    if (platform === 'win32') {
      const root = nonEmpty(env.NVM_HOME) ?? join(windowsFolder(env, 'APPDATA'), 'nvm');
      return [{ manager: 'nvm', root, binaries: ['node.exe'] }];
    }
    return [{ manager: 'nvm', root: join(nvmDir(env), 'versions', 'node'), binaries: ['bin/node'] }];
  },
  installCommand: (runtime, pin) => `nvm install ${installableVersion(runtime, pin)}`,
};

function nvmDir(env: ToolchainEnv): string {
  return nonEmpty(env.NVM_DIR) ?? join(homeOf(env, 'linux'), '.nvm');
}

/** What following an nvm alias gave: the final target, and each alias file read on the way. */
export interface AliasChain {
  target: string | undefined;
  files: string[];
}

// nvm's aliases point at versions or at other aliases (`lts/*` -> `lts/iron` -> `v20.11.1`).
const MAX_HOPS = 8;

/**
 * Follows nvm's alias files (`$NVM_DIR/alias/<name>`, e.g. `alias/lts/*`, `alias/default`)
 * until a name that is not an alias (a relative NVM_DIR is the child's, from `cwd`). `target`
 * is undefined when the first name has no file.
 */
export function resolveNvmAlias(name: string, env: ToolchainEnv, cwd: string): AliasChain {
  const files: string[] = [];
  let current = name;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (current.includes('..')) break;
    const file = resolve(cwd, nvmDir(env), 'alias', current);
    const text = readTextFile(file)?.trim();
    if (text === undefined || text === '') break;
    files.push(file);
    current = text;
  }
  return { target: files.length === 0 ? undefined : current, files };
}
