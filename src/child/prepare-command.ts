import { delimiter, dirname, resolve } from 'node:path';
import { Env, ProcwireError } from '../protocol/index.js';
import {
  isBareCommand,
  lookupCommand,
  resolveRuntime,
  RUNTIME_COMMANDS,
  findShimNode,
  type NpmCmdShim,
  type ResolvedRuntime,
} from '../toolchain/index.js';
import { checkCwd } from './spawn-failed.js';
import type { ResolvedSpec } from './spec.js';

/** What a spawn runs: the command as an absolute path where it was looked up, and the env it adds. */
export interface PreparedCommand {
  command: string;
  /** Arguments before the spec's: the script of an npm `.cmd` shim, run by Node (Windows). */
  argsBefore: string[];
  /** Set over the parent's env and `spec.env` (the runtime's bin dir first on PATH), or empty. */
  env: Record<string, string>;
  runtime: ResolvedRuntime | undefined;
}

/**
 * Resolves, before a spawn, what the spec leaves to be found: the pinned runtime (TOOLCHAIN_NOT_FOUND
 * when nothing satisfies it) and a bare command, looked up as `npm run` does. A bare command that
 * is nowhere rejects with SPAWN_FAILED (ENOENT, so it is not retried) saying where it looked.
 * Both are read from the child's cwd and environment: the parent's overlaid with `spec.env`.
 * A cwd that is not a directory rejects first, with SPAWN_FAILED saying so (spawn-failed.ts).
 */
export function prepareCommand(spec: ResolvedSpec): PreparedCommand {
  checkCwd(spec);
  const cwd = resolve(spec.cwd ?? '.');
  const childEnv: Record<string, string | undefined> = { ...process.env, ...spec.env };
  for (const name of Object.values(Env)) delete childEnv[name];
  const runtime =
    spec.runtime === undefined ? undefined : resolveRuntime(spec.runtime, { cwd, env: childEnv, childId: spec.id });
  const env: Record<string, string> = {};
  if (runtime !== undefined && runtime.manager !== 'PATH') {
    const key = Object.keys(childEnv).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
    const rest = childEnv[key];
    env[key] = rest === undefined || rest === '' ? dirname(runtime.path) : dirname(runtime.path) + delimiter + rest;
    childEnv[key] = env[key];
  }
  if (runtime !== undefined && RUNTIME_COMMANDS[runtime.name].includes(spec.command)) {
    return { command: runtime.path, argsBefore: [], env, runtime };
  }
  if (!isBareCommand(spec.command)) return { command: spec.command, argsBefore: [], env, runtime };
  const found = lookupCommand(spec.command, { cwd, env: childEnv });
  if (found.shim !== undefined) {
    return { command: nodeForShim(spec, found.shim, childEnv), argsBefore: [found.shim.script], env, runtime };
  }
  if (found.path !== undefined) return { command: found.path, argsBefore: [], env, runtime };
  const cause = Object.assign(new Error(`${spec.command} not found`), { code: 'ENOENT' });
  const top = found.binDirs.at(-1);
  throw new ProcwireError(
    'SPAWN_FAILED',
    `child "${spec.id}": could not spawn ${JSON.stringify(spec.command)}: ENOENT: no such command in ` +
      `node_modules/.bin from ${cwd} up to ${top} nor on PATH (${found.pathDirs.join(delimiter) || 'empty'}) ` +
      '(install it, or give its path)',
    { childId: spec.id, cause },
  );
}

function nodeForShim(spec: ResolvedSpec, shim: NpmCmdShim, childEnv: Record<string, string | undefined>): string {
  const node = findShimNode(shim, childEnv);
  if (node !== undefined) return node;
  throw new ProcwireError(
    'SPAWN_FAILED',
    `child "${spec.id}": ${JSON.stringify(spec.command)} is the npm shim of ${shim.script}, a Node script, and no ` +
      'node.exe is beside the shim or on PATH (install Node, set spec.runtime, or give node as the command)',
    { childId: spec.id, cause: Object.assign(new Error('node not found'), { code: 'ENOENT' }) },
  );
}
