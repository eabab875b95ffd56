import semver from 'semver';
import type { RuntimeName } from './types.js';

/** A pin file that cannot be read as a pin: the message says what is wrong with it. */
export class PinFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file} ${problem}`);
  }
}

const NODE_WORDS = /^(lts\/(\*|[a-z][a-z0-9-]*)|[A-Za-z][\w.-]*)$/i;
const PYTHON_NAME = /^[A-Za-z0-9][\w.+-]*$/;

/**
 * Why `pin` cannot be a `runtime` pin, or undefined when it can: a version, a semver range,
 * `system`, and for Node an nvm alias (`lts/*`, `lts/hydrogen`, `node`, `default`, …); for
 * Python a pyenv version name (`3.13t`, `pypy3.10-7.3.12`).
 */
export function pinProblem(runtime: RuntimeName, pin: string): string | undefined {
  if (pin.trim() === '') return 'is empty';
  if (semver.validRange(pin) !== null) return undefined;
  if (runtime === 'node' ? NODE_WORDS.test(pin) : PYTHON_NAME.test(pin)) return undefined;
  return `is not a version, a range${runtime === 'node' ? ' or an nvm alias' : ' or a pyenv version name'}`;
}

/**
 * The first meaningful line of an `.nvmrc`, `.node-version` or `.python-version` (`#` starts a
 * comment). With `firstWord`, its first word: .python-version may list several versions, the
 * first preferred; a Node pin may be a range with spaces (`>=18 <21`).
 */
export function firstValue(text: string, firstWord = false): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const value = line.replace(/#.*$/, '').trim();
    if (value !== '') return firstWord ? value.split(/\s+/)[0] : value;
  }
  return undefined;
}

/**
 * The `runtime`'s versions in an asdf/mise `.tool-versions` (`nodejs 18.20.4`, `node 18`,
 * `python 3.12.1 3.10.13 system`): several on one line are a fallback list, of which asdf and
 * mise use the first that is installed (`system` being the one on PATH). An empty list is a
 * line that names the tool and no version.
 */
export function toolVersionsValues(text: string, runtime: RuntimeName): string[] | undefined {
  const tools = runtime === 'node' ? ['nodejs', 'node'] : ['python'];
  for (const line of text.split(/\r?\n/)) {
    const [tool, ...versions] = line.replace(/#.*$/, '').trim().split(/\s+/);
    if (tool !== undefined && tools.includes(tool)) return versions;
  }
  return undefined;
}

/** `volta.node` and `engines.node` of a package.json; throws PinFileError when it is not JSON. */
export function packageJsonPins(file: string, text: string): { volta?: string; engines?: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PinFileError(file, `is not JSON (${(error as Error).message}); fix it, or give runtime.node a version`);
  }
  const field = (section: string): string | undefined => {
    const value = (data as Record<string, Record<string, unknown> | undefined> | null)?.[section]?.node;
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new PinFileError(file, `has a ${section}.node that is not a string`);
    return value;
  };
  const pins: { volta?: string; engines?: string } = {};
  const volta = field('volta');
  const engines = field('engines');
  if (volta !== undefined) pins.volta = volta;
  if (engines !== undefined) pins.engines = engines;
  return pins;
}
