import { dirname, join, resolve } from 'node:path';
import { readTextFile } from './fs-cache.js';
import { firstValue, packageJsonPins, PinFileError, pinProblem, toolVersionsValues } from './pin-text.js';
import type { RuntimeName } from './types.js';

/** A pin read from a file: the pin as written and the file's absolute path. */
export interface FoundPin {
  pin: string;
  file: string;
  /**
   * The versions listed after `pin` on a `.tool-versions` line (`nodejs 20.11.1 18.20.4`), in
   * order; absent when it listed one. asdf and mise take the first of them that is installed.
   */
  fallbacks?: string[];
}

// A list of pins is a fallback list, first preferred (.tool-versions).
type Reader = (file: string, runtime: RuntimeName) => string | string[] | undefined;

const firstLine: Reader = (file, runtime) => {
  const text = readTextFile(file);
  return text === undefined ? undefined : (firstValue(text, runtime === 'python') ?? '');
};
const toolVersions: Reader = (file, runtime) => {
  const text = readTextFile(file);
  return text === undefined ? undefined : toolVersionsValues(text, runtime);
};
const parsed = new Map<string, { text: string; pins: ReturnType<typeof packageJsonPins> }>();
const packageJson =
  (field: 'volta' | 'engines'): Reader =>
  (file) => {
    const text = readTextFile(file);
    if (text === undefined) return undefined;
    let entry = parsed.get(file);
    if (entry?.text !== text) {
      entry = { text, pins: packageJsonPins(file, text) };
      parsed.set(file, entry);
    }
    return entry.pins[field];
  };

/**
 * The pin files of each runtime, in the order they are read within one directory. For Node,
 * `engines.node` is a range a package accepts rather than a pin: it counts only when no
 * directory from the cwd up to the root has one of the others.
 */
export const PIN_FILES: Record<RuntimeName, readonly [name: string, read: Reader][]> = {
  node: [
    ['.nvmrc', firstLine],
    ['.node-version', firstLine],
    ['package.json', packageJson('volta')],
    ['.tool-versions', toolVersions],
  ],
  python: [
    ['.python-version', firstLine],
    ['.tool-versions', toolVersions],
  ],
};
const ENGINES: [string, Reader] = ['package.json', packageJson('engines')];

/**
 * The nearest pin for `runtime` from `cwd` upward, or undefined when there is none. Throws a
 * PinFileError for a pin file that exists but cannot be used (empty, garbage, not JSON).
 */
export function findPin(runtime: RuntimeName, cwd: string): FoundPin | undefined {
  let dir = resolve(cwd);
  let engines: FoundPin | undefined;
  for (;;) {
    for (const [name, read] of PIN_FILES[runtime]) {
      const found = readPin(join(dir, name), runtime, read);
      if (found) return found;
    }
    if (runtime === 'node' && engines === undefined) engines = readPin(join(dir, ENGINES[0]), runtime, ENGINES[1]);
    const parent = dirname(dir);
    if (parent === dir) return engines;
    dir = parent;
  }
}

function readPin(file: string, runtime: RuntimeName, read: Reader): FoundPin | undefined {
  const value = read(file, runtime);
  if (value === undefined) return undefined;
  const [pin = '', ...fallbacks] = typeof value === 'string' ? [value] : value;
  // Every listed version is checked now, though only one is used: a garbled fallback would
  // otherwise go unnoticed until the day the versions before it are uninstalled.
  for (const each of [pin, ...fallbacks]) {
    const problem = pinProblem(runtime, each);
    if (!problem) continue;
    const example = runtime === 'node' ? '18.20.4' : '3.11';
    const shown = each === '' ? '' : ` (${JSON.stringify(each.slice(0, 80))})`;
    throw new PinFileError(file, `${problem}${shown}; write a version such as ${example} in it, or remove it`);
  }
  return fallbacks.length === 0 ? { pin, file } : { pin, file, fallbacks };
}

export { shortSource } from './short-source.js';

/** Forgets the package.json files parsed. */
export function forgetParsedPackages(): void {
  parsed.clear();
}
