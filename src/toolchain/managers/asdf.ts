import { join } from 'node:path';
import semver from 'semver';
import { homeOf, installableVersion, nonEmpty, type Manager } from './manager.js';

/**
 * asdf: `$ASDF_DATA_DIR` (default `~/.asdf`) `/installs/nodejs/<version>/bin/node` and
 * `/installs/python/<version>/bin/python`. asdf has no Windows port.
 */
export const asdf: Manager = {
  name: 'asdf',
  layouts(runtime, env, platform) {
    if (platform === 'win32') return [];
    const data = nonEmpty(env.ASDF_DATA_DIR) ?? join(homeOf(env, platform), '.asdf');
    const binaries = runtime === 'node' ? ['bin/node'] : ['bin/python', 'bin/python3'];
    return [{ manager: 'asdf', root: join(data, 'installs', plugin(runtime)), binaries }];
  },
  installCommand(runtime, pin) {
    const version = installableVersion(runtime, pin);
    // asdf installs exact versions only; `latest:18` asks for the newest of a line.
    return `asdf install ${plugin(runtime)} ${semver.valid(version) ? version : `latest:${version}`}`;
  },
};

function plugin(runtime: 'node' | 'python'): string {
  return runtime === 'node' ? 'nodejs' : 'python';
}
