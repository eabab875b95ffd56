import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, rmSync, writeSync } from 'node:fs';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

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
