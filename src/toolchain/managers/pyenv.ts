import { join } from 'node:path';
import { homeOf, installableVersion, nonEmpty, type Manager } from './manager.js';

/**
 * pyenv: `$PYENV_ROOT` (default `~/.pyenv`) `/versions/<version>/bin/python`. pyenv-win keeps
 * `versions\<version>\python.exe` under `%PYENV_ROOT%` (default `%USERPROFILE%\.pyenv\pyenv-win`).
 */
export const pyenv: Manager = {
  name: 'pyenv',
  layouts(runtime, env, platform) {
    if (runtime !== 'python') return [];
    if (platform === 'win32') {
      const root = nonEmpty(env.PYENV_ROOT) ?? join(homeOf(env, platform), '.pyenv', 'pyenv-win');
      return [{ manager: 'pyenv', root: join(root, 'versions'), binaries: ['python.exe'] }];
    }
    const root = nonEmpty(env.PYENV_ROOT) ?? join(homeOf(env, platform), '.pyenv');
    return [{ manager: 'pyenv', root: join(root, 'versions'), binaries: ['bin/python', 'bin/python3'] }];
  },
  installCommand: (runtime, pin) => `pyenv install ${installableVersion(runtime, pin)}`,
};
