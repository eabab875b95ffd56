import { join } from 'node:path';
import { homeOf, nonEmpty, windowsFolder } from './managers/manager.js';
import type { ToolchainEnv } from './types.js';

/**
 * procwire's own cache of runtimes (`procwire toolchain install` writes `<dir>/node/<version>/`):
 * `$PROCWIRE_CACHE_DIR`, else `$XDG_CACHE_HOME/procwire` (`~/.cache/procwire`); macOS
 * `~/Library/Caches/procwire`; Windows `%LOCALAPPDATA%\procwire\cache`.
 */
export function cacheDir(env: ToolchainEnv, platform: NodeJS.Platform = process.platform): string {
  const explicit = nonEmpty(env.PROCWIRE_CACHE_DIR);
  if (explicit) return explicit;
  if (platform === 'win32') return join(windowsFolder(env, 'LOCALAPPDATA'), 'procwire', 'cache');
  const xdg = nonEmpty(env.XDG_CACHE_HOME);
  if (xdg) return join(xdg, 'procwire');
  const home = homeOf(env, platform);
  return platform === 'darwin' ? join(home, 'Library', 'Caches', 'procwire') : join(home, '.cache', 'procwire');
}
