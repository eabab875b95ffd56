import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { executableStatus, statOrUndefined } from './fs-cache.js';
import { PYTHON_FLAVOUR_NAME } from './python-builds.js';
import type { Installed, SearchedPlace } from './types.js';

/** Where one manager keeps one runtime: a directory holding a directory per version. */
export interface VersionLayout {
  manager: string;
  /** The directory whose entries are versions (`~/.nvm/versions/node`). */
  root: string;
  /** The binary inside a version's directory, relative (`bin/node`); the first that exists counts. */
  binaries: readonly string[];
}

interface Listing {
  mtimeMs: number;
  place: SearchedPlace;
  /** Version-named directories without a binary yet: an install in progress is re-checked on each call. */
  pending: string[];
}

const listings = new Map<string, Listing>();

/**
 * A directory name as a version: `v18.20.4` -> `18.20.4`; other names that start with a digit
 * as they are, and so are the names of Python builds that are not CPython (`pypy3.10-7.3.12`,
 * `miniconda3-latest`), matched exactly. Anything else (a manager's cache, `.downloads`) is
 * no version.
 */
export function versionOfName(name: string): string | undefined {
  if (PYTHON_FLAVOUR_NAME.test(name)) return name;
  if (!/^v?\d/.test(name)) return undefined;
  return semver.valid(name) ?? name;
}

/**
 * Lists the versions installed under `layout.root`, newest first. The listing is remembered
 * while the root's mtime stays the same (installing or removing a version changes it) and no
 * version directory is still waiting for its binary. A symlink loop or an entry without a
 * binary is listed in `ignored`, never thrown.
 */
export function listVersions(layout: VersionLayout): SearchedPlace {
  const { manager, root } = layout;
  const key = `${root}\0${layout.binaries.join('\0')}`;
  let rootStats: ReturnType<typeof statOrUndefined>;
  try {
    rootStats = statOrUndefined(root);
  } catch (error) {
    listings.delete(key);
    return unreadable(manager, root, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  if (rootStats === undefined) return { manager, dir: root, status: 'missing', installed: [], ignored: [] };
  if (!rootStats.isDirectory()) return unreadable(manager, root, 'not a directory');
  const cached = listings.get(key);
  if (
    cached &&
    cached.mtimeMs === rootStats.mtimeMs &&
    !cached.pending.some((dir) => typeof binaryIn(layout, dir) === 'string')
  ) {
    return cached.place;
  }
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    return unreadable(manager, root, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  const installed: Installed[] = [];
  const ignored: string[] = [];
  const pending: string[] = [];
  for (const name of names) {
    const version = versionOfName(name);
    if (version === undefined || (semver.valid(version) === null && isSymlink(join(root, name)))) continue;
    const dir = join(root, name);
    const binary = binaryIn(layout, dir);
    if (typeof binary === 'string') installed.push({ version, path: binary, manager });
    else {
      ignored.push(`${name} (${binary.loop ? 'symlink loop' : `no ${layout.binaries.join(' or ')}`})`);
      pending.push(dir);
    }
  }
  installed.sort(newestFirst);
  const place: SearchedPlace = { manager, dir: root, status: 'found', installed, ignored };
  listings.set(key, { mtimeMs: rootStats.mtimeMs, place, pending });
  return place;
}

/** Forgets every remembered listing (a resolved binary that vanished; tests). */
export function forgetListings(): void {
  listings.clear();
}

/** Newest first: semver versions by precedence, then other names (`pypy3.10-7.3.12`) in reverse order. */
export function newestFirst(a: { version: string }, b: { version: string }): number {
  const [va, vb] = [semver.valid(a.version), semver.valid(b.version)];
  if (va && vb) return semver.rcompare(va, vb);
  if (va) return -1;
  if (vb) return 1;
  return b.version.localeCompare(a.version);
}

function binaryIn(layout: VersionLayout, dir: string): string | { loop: boolean } {
  let loop = false;
  for (const binary of layout.binaries) {
    const path = join(dir, binary);
    const status = executableStatus(path);
    if (status === 'ok') return path;
    loop ||= status === 'loop';
  }
  return { loop };
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function unreadable(manager: string, dir: string, problem: string): SearchedPlace {
  return { manager, dir, status: 'unreadable', installed: [], ignored: [], problem };
}
