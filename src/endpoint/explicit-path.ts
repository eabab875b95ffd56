import type { Server } from 'node:net';
import { chmod, link, lstat, mkdtemp, realpath, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { cannotListen, listenOnPath } from './listen.js';
import { maxSocketPathBytes, socketPathFits } from './socket-path.js';
import { clearStaleSocket } from './stale-socket.js';
import { untrustedDirProblem } from './trusted-dir.js';

/** A socket procwire put at an explicit path, identified so that only it is removed later. */
export interface PlacedSocket {
  /** Absolute, with the directory's symlinks resolved: the address children are given. */
  path: string;
  dev: number;
  ino: number;
}

// mkdtemp appends 6 characters.
const STAGING_PREFIX = '.procwire-';
const STAGED_NAME = 's';

/**
 * Listens at an explicit `socketPath`. The directory (and each one above it) must be one no
 * other user can swap entries in; the path must be free or hold our own stale socket. The
 * socket is bound inside a fresh 0700 directory next to the target, made 0600, and only then
 * hard-linked into place, so it never exists at the target with looser permissions and never
 * replaces anything (link fails if the path was taken meanwhile).
 */
export async function listenAtSocketPath(server: Server, requested: string): Promise<PlacedSocket> {
  const wanted = resolve(requested);
  let dir: string;
  try {
    // Resolved so that a symlink in the path cannot be re-pointed after the checks below.
    dir = await realpath(dirname(wanted));
  } catch (error) {
    throw cannotListen(wanted, error);
  }
  const path = join(dir, basename(wanted));
  const problem = await untrustedDirProblem(dir);
  if (problem !== undefined) {
    throw new Error(
      `procwire will not put its socket in ${dir}: ${problem}, so another user could replace the socket. ` +
        'Choose a directory only you can write to (or a sticky one such as /tmp), or leave socketPath unset',
    );
  }
  const staged = join(dir, `${STAGING_PREFIX}XXXXXX`, STAGED_NAME);
  if (!socketPathFits(path) || !socketPathFits(staged)) {
    throw new Error(
      `socketPath ${path} is too long: procwire first binds it as ${staged}, and both must fit in ` +
        `${maxSocketPathBytes()} bytes. Choose a shorter path, or leave socketPath unset`,
    );
  }
  await clearStaleSocket(path);
  const staging = await mkdtemp(join(dir, STAGING_PREFIX)).catch((error: unknown) => {
    throw cannotListen(path, error);
  });
  try {
    await chmod(staging, 0o700);
    const temp = join(staging, STAGED_NAME);
    await listenOnPath(server, temp);
    await chmod(temp, 0o600);
    await link(temp, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw cannotListen(path, error);
      throw new Error(
        `something was put at ${path} while procwire was starting; it was left alone. Choose another socketPath`,
      );
    });
    const { dev, ino } = await lstat(path);
    return { path, dev, ino };
  } catch (error) {
    server.close();
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Removes the socket at `placed.path` if it is still the one procwire put there. */
export async function removePlacedSocket(placed: PlacedSocket): Promise<void> {
  try {
    const stats = await lstat(placed.path);
    if (stats.isSocket() && stats.dev === placed.dev && stats.ino === placed.ino) await unlink(placed.path);
  } catch {
    // Already gone, or the directory went away: nothing of ours is left to remove.
  }
}
