import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

// Not defined on Windows, where neither applies.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

/**
 * The text of `path` if it is a regular file of the current user of at most `maxBytes`, or
 * undefined otherwise (missing, a symlink, a FIFO, a device, someone else's, too large).
 * Opened without following a symlink and without blocking, so neither a FIFO nor
 * /dev/zero can stall or bloat the reader; reads at most `maxBytes` + 1 bytes.
 */
export function readOwnFile(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING);
  } catch {
    return undefined; // ELOOP for a symlink, or gone meanwhile
  }
  try {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid) || stat.size > maxBytes) return undefined;
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    // It grew after fstat.
    if (length > maxBytes) return undefined;
    return buffer.toString('utf8', 0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
