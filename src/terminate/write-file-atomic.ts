import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, rmSync, writeSync } from 'node:fs';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const TEMP_SUFFIX = /\.[0-9a-f]{16}\.tmp$/;

/** For the name of a temp file writeFileAtomic made, the name it was to be renamed to; else undefined. */
export function atomicTarget(name: string): string | undefined {
  const suffix = TEMP_SUFFIX.exec(name);
  return suffix === null ? undefined : name.slice(0, suffix.index);
}

/**
 * Writes `text` to `path` (mode 0600) so a reader sees the old file or the whole new one.
 * The temp file beside it has an unpredictable name and is created exclusively without
 * following a symlink, so nothing planted in the directory is written through; the rename
 * then replaces whatever entry `path` was (a planted symlink too) rather than follow it.
 */
export function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
  try {
    try {
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
