import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RuntimeName, RuntimeRequest } from '../toolchain/index.js';
import { UsageError } from './verbs/verb.js';

/**
 * A runtime argument of `procwire toolchain`: `node`, `python`, or with a pin, `node@18`,
 * `python@3.11`. Without a pin the request is `auto` (the pin files decide).
 */
export async function runtimeArgument(
  text: string | undefined,
  fallback: RuntimeName = 'node',
): Promise<RuntimeRequest> {
  const [name = fallback, pin] = text === undefined ? [] : splitAt(text);
  if (name !== 'node' && name !== 'python') {
    throw new UsageError(`${JSON.stringify(text)} is not a runtime; write node, python, node@18 or python@3.11`);
  }
  if (pin === undefined) return { name, pin: 'auto' };
  // Loaded when used: the toolchain code (with semver) would slow every other command's start.
  const { pinProblem } = await import('../toolchain/index.js');
  const problem = pinProblem(name, pin);
  if (problem) throw new UsageError(`the pin ${JSON.stringify(pin)} ${problem}`);
  return { name, pin };
}

function splitAt(text: string): [string, string | undefined] {
  const at = text.indexOf('@');
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * The directory the pin files are read from: `--cwd`, else the process's. A UsageError when it
 * is not a directory: nothing would run there, and no pin file can be read from it.
 */
export function cwdOption(value: string | undefined): string {
  const dir = resolve(value ?? '.');
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {}
  if (!isDir) throw new UsageError(`--cwd ${JSON.stringify(value ?? '.')} is not a directory (give one that exists)`);
  return dir;
}
