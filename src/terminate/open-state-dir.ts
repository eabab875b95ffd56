import { lstatSync, mkdirSync, type Stats } from 'node:fs';
import { quote } from '../options/duration.js';

/**
 * Makes sure `dir` can hold the journal of live children: creates it (mode 0700, with its
 * parents) if missing; an existing one must be a real directory (not a symlink) of the
 * current user that neither group nor others can write to, or a TypeError names the path
 * and the fix. An existing directory is never chmodded: it may be something else's.
 */
export function openStateDir(dir: string): void {
  let stat = lstatIfAny(dir);
  if (stat === undefined) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Checked again: something may have taken the name in between.
    stat = lstatSync(dir);
  }
  refuseUnsafe(dir, stat);
}

function lstatIfAny(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function refuseUnsafe(dir: string, stat: Stats): void {
  const where = `stateDir ${quote(dir)}`;
  const why = 'procwire keeps its journal of live children only in a directory private to you';
  if (stat.isSymbolicLink()) {
    throw new TypeError(
      `${where} is a symbolic link; ${why}: give the real directory's path, or a path that does not exist yet`,
    );
  }
  if (!stat.isDirectory())
    throw new TypeError(`${where} is not a directory; give a directory, or a path that does not exist yet`);
  // Windows has neither owners nor mode bits to check here.
  if (process.platform === 'win32') return;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new TypeError(
      `${where} belongs to uid ${stat.uid}, not to this process (uid ${uid}); ${why}: use a directory of your own`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    const mode = (stat.mode & 0o7777).toString(8);
    throw new TypeError(
      `${where} is writable by its group or others (mode ${mode}), so they could plant records in it; ` +
        `${why}: run chmod go-w ${quote(dir)}, or use another directory`,
    );
  }
}
