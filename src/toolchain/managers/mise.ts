import { join } from 'node:path';
import { dataHome, installableVersion, nonEmpty, windowsFolder, type Manager } from './manager.js';

/**
 * mise: `$MISE_DATA_DIR` (default `$XDG_DATA_HOME/mise`, `~/.local/share/mise`; Windows
 * `%LOCALAPPDATA%\mise`) `/installs/node/<version>/bin/node` and `/installs/python/<version>/bin/python`.
 * Its symlinks for partial versions (`installs/node/18 -> 18.20.4`) are skipped.
 */
export const mise: Manager = {
  name: 'mise',
  layouts(runtime, env, platform) {
    const data =
      nonEmpty(env.MISE_DATA_DIR) ??
      (platform === 'win32' ? join(windowsFolder(env, 'LOCALAPPDATA'), 'mise') : join(dataHome(env, platform), 'mise'));
    const binaries =
      platform === 'win32'
        ? [runtime === 'node' ? 'node.exe' : 'python.exe']
        : runtime === 'node'
          ? ['bin/node']
          : ['bin/python', 'bin/python3'];
    return [{ manager: 'mise', root: join(data, 'installs', runtime), binaries }];
  },
  installCommand: (runtime, pin) => `mise install ${runtime}@${installableVersion(runtime, pin)}`,
};
