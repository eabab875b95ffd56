import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolchainEnv } from '../types.js';
import { dataHome, homeOf, installableVersion, nonEmpty, windowsFolder, type Manager } from './manager.js';

/**
 * fnm: `$FNM_DIR/node-versions/v*\/installation/bin/node`. Without FNM_DIR, fnm uses `~/.fnm`
 * when it exists (older installs), else `$XDG_DATA_HOME/fnm` (`~/.local/share/fnm`; macOS
 * `~/Library/Application Support/fnm`; Windows `%APPDATA%\fnm`, with `installation\node.exe`).
 */
export const fnm: Manager = {
  name: 'fnm',
  layouts(runtime, env, platform) {
    if (runtime !== 'node') return [];
    const binaries = platform === 'win32' ? ['installation/node.exe'] : ['installation/bin/node'];
    return [{ manager: 'fnm', root: join(fnmDir(env, platform), 'node-versions'), binaries }];
  },
  installCommand: (runtime, pin) => `fnm install ${installableVersion(runtime, pin)}`,
};

function fnmDir(env: ToolchainEnv, platform: NodeJS.Platform): string {
  const explicit = nonEmpty(env.FNM_DIR);
  if (explicit) return explicit;
  const legacy = join(homeOf(env, platform), '.fnm');
  if (existsSync(legacy)) return legacy;
  if (platform === 'win32') return join(windowsFolder(env, 'APPDATA'), 'fnm');
  if (platform === 'darwin' && nonEmpty(env.XDG_DATA_HOME) === undefined) {
    return join(homeOf(env, platform), 'Library', 'Application Support', 'fnm');
  }
  return join(dataHome(env, platform), 'fnm');
}
