import { join } from 'node:path';
import { homeOf, installableVersion, nonEmpty, windowsFolder, type Manager } from './manager.js';

/**
 * Volta: `$VOLTA_HOME` (default `~/.volta`; Windows `%LOCALAPPDATA%\Volta`)
 * `/tools/image/node/<version>/bin/node` (Windows: `<version>\node.exe`).
 */
export const volta: Manager = {
  name: 'volta',
  layouts(runtime, env, platform) {
    if (runtime !== 'node') return [];
    const home =
      nonEmpty(env.VOLTA_HOME) ??
      (platform === 'win32'
        ? join(windowsFolder(env, 'LOCALAPPDATA'), 'Volta')
        : join(homeOf(env, platform), '.volta'));
    const binaries = platform === 'win32' ? ['node.exe'] : ['bin/node'];
    return [{ manager: 'volta', root: join(home, 'tools', 'image', 'node'), binaries }];
  },
  installCommand: (runtime, pin) => `volta install node@${installableVersion(runtime, pin)}`,
};
