import { ProcwireError } from '../protocol/index.js';
import { managerNamed, managersFor } from './managers/index.js';
import { installableVersion } from './managers/manager.js';
import { shortSource } from './pin-files.js';
import { PYTHON_BUILD_NAME } from './python-builds.js';
import type { RuntimeName, SearchedPlace } from './types.js';

/** TOOLCHAIN_NOT_FOUND with `message`, after the child's name when it is about a child. */
export function toolchainError(childId: string | undefined, message: string): ProcwireError {
  return new ProcwireError('TOOLCHAIN_NOT_FOUND', `${childId === undefined ? '' : `child "${childId}": `}${message}`, {
    ...(childId === undefined ? {} : { childId }),
  });
}

/** Each place searched, what it held and what it ignored, in one line. */
export function describePlaces(runtime: RuntimeName, places: readonly SearchedPlace[]): string {
  return places
    .map((place) => {
      if (place.manager === 'PATH') {
        const hit = place.installed[0];
        return hit ? `PATH (${runtime} ${hit.version} at ${hit.path})` : `PATH (no ${runtime})`;
      }
      const what =
        place.status === 'missing'
          ? 'not there'
          : place.status === 'unreadable'
            ? `unreadable: ${place.problem}`
            : place.installed.length === 0
              ? 'no versions'
              : place.installed.map((item) => item.version).join(', ');
      const ignored = place.ignored.length > 0 ? `; ignored ${place.ignored.join(', ')}` : '';
      return `${place.manager} ${place.dir} (${what}${ignored})`;
    })
    .join(', ');
}

// The manager a pin file belongs to, when it has one.
const OWNERS: Record<string, readonly string[]> = {
  '.nvmrc': ['nvm', 'fnm'],
  '.node-version': ['fnm', 'nvm'],
  'package.json': ['volta'],
  '.tool-versions': ['mise', 'asdf'],
  '.python-version': ['pyenv'],
};

/**
 * The sentence that ends TOOLCHAIN_NOT_FOUND: the install command for the manager in use (the
 * pin file's own manager if it is installed, else the first installed one in search order,
 * else procwire's for Node or pyenv's for Python), for the first of `several` pins. A Python
 * pin no installer would take (`cpython-3.10`) gets no command that would only fail: it is
 * said to be no version, and how to write one.
 */
export function installHint(
  runtime: RuntimeName,
  pin: string,
  source: string,
  places: readonly SearchedPlace[],
  several = false,
): string {
  if (runtime === 'python' && !PYTHON_BUILD_NAME.test(installableVersion(runtime, pin))) {
    const fix =
      source === 'spec'
        ? "pin one in the spec's runtime.python"
        : source === 'command line'
          ? 'give one (python@3.12)'
          : `write one in ${source}`;
    return (
      `${JSON.stringify(pin)} is not a Python version pyenv knows (its names are like 3.12.1, 3.12 or ` +
      `pypy3.10-7.3.12; \`pyenv install --list\` shows them all): ${fix}`
    );
  }
  const present = new Set(places.filter((place) => place.status !== 'missing').map((place) => place.manager));
  const owners = (OWNERS[shortSource(source)] ?? []).filter((name) => present.has(name));
  const inSearchOrder = managersFor(runtime)
    .map((manager) => manager.name)
    .filter((name) => present.has(name));
  const name = owners[0] ?? inSearchOrder[0] ?? (runtime === 'node' ? 'procwire' : 'pyenv');
  const command = managerNamed(name)?.installCommand(runtime, pin) ?? `install ${runtime} ${pin}`;
  return `${several ? 'Install the first' : 'Install it'}: ${command}`;
}

/** Where a pin came from, for a message: `from /p/.nvmrc`, `from the spec` or `from the command line`. */
export function fromWhere(source: string): string {
  return source === 'spec' || source === 'command line' ? `from the ${source}` : `from ${source}`;
}
