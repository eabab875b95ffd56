import { lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Stats } from 'node:fs';

const STICKY = 0o1000;

/**
 * Why another user could replace what procwire puts in a directory with these stats, or
 * undefined when none can: it must belong to us or to root, and if its group or others may
 * write to it, the sticky bit must keep them from renaming or deleting entries they do not own.
 */
export function dirTrustProblem(path: string, stats: Stats, uid: number): string | undefined {
  if (!stats.isDirectory()) return `${path} is not a directory`;
  if (stats.uid !== uid && stats.uid !== 0) return `${path} belongs to uid ${stats.uid}, who could swap what is in it`;
  if ((stats.mode & STICKY) !== 0) return undefined;
  if ((stats.mode & 0o002) !== 0) return `${path} is world-writable without the sticky bit`;
  if ((stats.mode & 0o020) !== 0) return `${path} is group-writable without the sticky bit`;
  return undefined;
}

/**
 * Checks a resolved (symlink-free, absolute) directory and every directory above it, since
 * whoever may rename an ancestor may swap the whole subtree. Returns the first problem found,
 * or undefined. Always undefined where there are no uids (Windows).
 */
export async function untrustedDirProblem(resolvedDir: string): Promise<string | undefined> {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  for (let dir = resolvedDir; ; dir = dirname(dir)) {
    const problem = dirTrustProblem(dir, await lstat(dir), uid);
    if (problem !== undefined) return problem;
    if (dirname(dir) === dir) return undefined;
  }
}
