import { readFileSync, statSync, type Stats } from 'node:fs';

// Resolution runs before every spawn, so what it reads is remembered, but only as long as a
// stat can prove it unchanged: nothing here can go stale by more than a file's mtime.

const files = new Map<string, { mtimeMs: number; size: number; ino: number; text: string }>();

/** Stats `path` (following symlinks); undefined when it does not exist. Throws ELOOP and the like. */
export function statOrUndefined(path: string): Stats | undefined {
  return statSync(path, { throwIfNoEntry: false });
}

/** A regular file's text, re-read only when its mtime, size or inode changed; undefined when absent. */
export function readTextFile(path: string): string | undefined {
  let stats: Stats | undefined;
  try {
    stats = statOrUndefined(path);
  } catch {
    return undefined;
  }
  if (stats === undefined || !stats.isFile()) return undefined;
  const cached = files.get(path);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size && cached.ino === stats.ino) {
    return cached.text;
  }
  const text = readFileSync(path, 'utf8');
  files.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino, text });
  return text;
}

/**
 * 'ok' for an executable regular file (on Windows, any file), 'loop' for a symlink loop,
 * 'missing' otherwise.
 */
export function executableStatus(path: string): 'ok' | 'loop' | 'missing' {
  let stats: Stats | undefined;
  try {
    stats = statOrUndefined(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'loop' : 'missing';
  }
  if (stats === undefined || !stats.isFile()) return 'missing';
  return process.platform === 'win32' || (stats.mode & 0o111) !== 0 ? 'ok' : 'missing';
}

/** Forgets every file read (benchmarks measure a cold resolution with it). */
export function forgetFiles(): void {
  files.clear();
}
