import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { resolveSpec, type ChildSpec } from '../child/spec.js';
import { checkDependencies } from '../depends/index.js';
import { isProcwireError } from '../protocol/index.js';
import { dependencyNode } from '../child/dependency-node.js';

/** One child of a config file: its spec and whether its failure fails the run. */
export interface ConfigChild {
  spec: ChildSpec;
  /** Default true: a critical child that ends `failed`, or exits non-zero by itself, makes `procwire run` exit 1. */
  critical: boolean;
}

/** A config file that cannot be used; the message names the file, the child and the field. */
export class ConfigError extends Error {}

/**
 * Reads and validates a config file: a JSON array of child specs, or an object
 * `{ "$schema"?, "children": [...] }`. Every child is checked before anything starts.
 * Relative commands (with a slash) and cwds resolve against the file's directory, which is
 * also the default cwd, so a config means the same wherever procwire is run from.
 */
export async function loadConfig(file: string): Promise<ConfigChild[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `${file}: no such file. Create it (see procwire run --help) or pass the config's path: procwire run <config>`
        : `${file}: cannot read it: ${(error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const entries = childEntries(file, data);
  const base = dirname(resolve(file));
  const seen = new Set<string>();
  const children = entries.map((entry, index) => {
    const claimedId = (entry as { id?: unknown } | null)?.id;
    const where = `${file}: child ${index + 1}${typeof claimedId === 'string' ? ` ("${claimedId}")` : ''}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigError(`${where}: must be an object with at least "id" and "command"`);
    }
    const { critical = true, ...spec } = entry as Record<string, unknown>;
    if (typeof critical !== 'boolean')
      throw new ConfigError(`${where}: "critical" must be true or false; got ${JSON.stringify(critical)}`);
    let checked: ChildSpec;
    try {
      checked = anchor(spec as unknown as ChildSpec, base);
      resolveSpec(checked);
    } catch (error) {
      throw new ConfigError(`${where}: ${(error as Error).message}`);
    }
    if (seen.has(checked.id))
      throw new ConfigError(`${where}: the id "${checked.id}" is used twice; ids must be unique`);
    seen.add(checked.id);
    return { spec: checked, critical };
  });
  try {
    checkDependencies(children.map((child) => dependencyNode(resolveSpec(child.spec), undefined)));
  } catch (error) {
    if (isProcwireError(error, 'INVALID_SPEC')) throw new ConfigError(`${file}: ${error.message}`);
    throw error;
  }
  return children;
}

/**
 * The config's children in the order to spawn them: each after what it depends on (checked
 * by loadConfig), otherwise as written. Spawned in this order without waiting, independent
 * children start together; the supervisor's shutdown, in reverse, stops dependents first.
 */
export function startOrder(children: readonly ConfigChild[]): ConfigChild[] {
  const byId = new Map(children.map((child) => [child.spec.id, child]));
  const order = checkDependencies(children.map((child) => dependencyNode(resolveSpec(child.spec), undefined)));
  return order.map((id) => byId.get(id) as ConfigChild);
}

function childEntries(file: string, data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data === 'object' && data !== null) {
    const { children, $schema: _schema, ...rest } = data as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      throw new ConfigError(
        `${file}: unknown top-level key "${unknown[0]}"; expected "children" (and optionally "$schema")`,
      );
    if (Array.isArray(children)) return children;
  }
  throw new ConfigError(`${file}: must be an array of child specs, or an object with a "children" array`);
}

function anchor(spec: ChildSpec, base: string): ChildSpec {
  const anchored = { ...spec };
  if (typeof spec.command === 'string' && spec.command.includes('/') && !isAbsolute(spec.command)) {
    anchored.command = resolve(base, spec.command);
  }
  anchored.cwd = typeof spec.cwd === 'string' ? resolve(base, spec.cwd) : spec.cwd === undefined ? base : spec.cwd;
  return anchored;
}
