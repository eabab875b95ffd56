import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProcwireError } from '../protocol/index.js';
import type { ResolvedSpec } from './spec.js';

/**
 * SPAWN_FAILED for a process the OS would not start: the command (and the path it was found
 * at), the OS error, and what to check. A missing cwd is named as such, since the OS reports
 * it as the command's ENOENT.
 */
export function spawnFailed(spec: ResolvedSpec, command: string, cause: unknown): ProcwireError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const cwdProblem = code === 'ENOENT' || code === 'ENOTDIR' ? problemOfCwd(spec) : undefined;
  const hint =
    cwdProblem !== undefined
      ? cwdProblem
      : code === 'ENOENT'
        ? 'check the command path, or that it is on PATH'
        : code === 'EACCES'
          ? 'check that the file is executable'
          : 'check the command and its arguments';
  return new ProcwireError(
    'SPAWN_FAILED',
    `child "${spec.id}": could not spawn ${JSON.stringify(spec.command)}` +
      `${command === spec.command ? '' : ` (${command})`}: ` +
      `${(cause as Error | undefined)?.message ?? cause} (${hint})`,
    { childId: spec.id, cause },
  );
}

/**
 * Throws SPAWN_FAILED (ENOENT or ENOTDIR, so it is not retried) when the spec's cwd is not a
 * directory: before a runtime is resolved or a command looked up from it, a missing cwd would
 * otherwise read as a runtime or command that is not there.
 */
export function checkCwd(spec: ResolvedSpec): void {
  const problem = problemOfCwd(spec);
  if (problem === undefined) return;
  const code = problem.includes('not a directory') ? 'ENOTDIR' : 'ENOENT';
  const cause = Object.assign(new Error(`${code}: cwd ${resolve(spec.cwd ?? '.')}`), { code });
  throw new ProcwireError(
    'SPAWN_FAILED',
    `child "${spec.id}": could not spawn ${JSON.stringify(spec.command)}: ${problem}`,
    { childId: spec.id, cause },
  );
}

function problemOfCwd(spec: ResolvedSpec): string | undefined {
  if (spec.cwd === undefined) return undefined;
  const where = `cwd ${JSON.stringify(spec.cwd)}${resolve(spec.cwd) === spec.cwd ? '' : ` (${resolve(spec.cwd)})`}`;
  try {
    if (statSync(spec.cwd).isDirectory()) return undefined;
    return `${where} is not a directory (give the directory the child runs in)`;
  } catch {
    return `${where} does not exist (create it, or correct the child's cwd)`;
  }
}
