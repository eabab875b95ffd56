import { join } from 'node:path';
import { cacheDir } from '../cache-dir.js';
import { installableVersion, type Manager } from './manager.js';

/** procwire's own cache: `<cacheDir>/node/<version>/bin/node`, filled by `procwire toolchain install`. */
export const procwireCache: Manager = {
  name: 'procwire',
  layouts(runtime, env, platform) {
    if (runtime !== 'node') return [];
    const binaries = platform === 'win32' ? ['node.exe', 'bin/node.exe'] : ['bin/node'];
    return [{ manager: 'procwire', root: join(cacheDir(env, platform), 'node'), binaries }];
  },
  installCommand: (runtime, pin) => `procwire toolchain install node@${installableVersion(runtime, pin)}`,
};
