import { quote } from '../options/duration.js';
import { expectObject, expectString, rejectUnknownKeys } from '../options/fields.js';
import { pinProblem } from './pin-text.js';
import type { RuntimeName, RuntimeRequest } from './types.js';

/** The commands that mean "the runtime itself": with a runtime, they become its absolute path. */
export const RUNTIME_COMMANDS: Record<RuntimeName, readonly string[]> = {
  node: ['node'],
  python: ['python', 'python3'],
};

/**
 * Checks `spec.runtime` up front: `{ node: pin }` or `{ python: pin }`, one of them, where a
 * pin is `'auto'`, a version, a semver range, or an alias (Node: nvm's; Python: a pyenv
 * version name). Throws a TypeError naming the field and quoting the value.
 */
export function parseRuntimeRequest(field: string, value: unknown): RuntimeRequest {
  const runtime = expectObject(field, value);
  rejectUnknownKeys(field, runtime, ['node', 'python']);
  const names = Object.keys(runtime) as RuntimeName[];
  const [name] = names;
  if (name === undefined || names.length > 1) {
    throw new TypeError(`${field} must name one runtime, { node: '18' } or { python: '3.11' }; got ${quote(value)}`);
  }
  const pin = expectString(`${field}.${name}`, runtime[name]).trim();
  if (pin !== 'auto') {
    const problem = pinProblem(name, pin);
    if (problem) {
      const example = name === 'node' ? "'18', '18.20.4', '>=18 <21', 'lts/*'" : "'3.11', '3.9.18'";
      throw new TypeError(`${field}.${name} ${problem} (e.g. 'auto', ${example}); got ${quote(runtime[name])}`);
    }
  }
  return { name, pin };
}
