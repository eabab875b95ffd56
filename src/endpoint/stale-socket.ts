import { createConnection } from 'node:net';
import { lstat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';

/**
 * Makes `path` free for a new socket. Nothing there: done. Our own socket that nobody answers
 * on (left by a process that died): removed. Anything else — a live listener, another user's
 * socket, a regular file, a directory, a symlink — is left alone and the error names it.
 */
export async function clearStaleSocket(path: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const keep = (what: string): Error =>
    new Error(
      `procwire will not replace ${path}: it is ${what}. ` +
        'Remove it yourself if it is not needed, or choose another socketPath',
    );
  if (!stats.isSocket()) throw keep(`${describe(stats)}, not a socket`);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) throw keep(`a socket owned by uid ${stats.uid}, not by you (uid ${uid})`);
  if (await somebodyListens(path)) {
    throw new Error(`another process is listening on ${path}; stop it or choose another socketPath`);
  }
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function describe(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  return 'a device';
}

function somebodyListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
