import { isAbsolute, normalize, resolve } from 'node:path';
import { detach } from './line-memo.js';
import type { FileLocation } from './parse-matcher.js';

// A compiler names the same few files over and over; a child naming ever-new ones must not
// grow the cache without bound.
const CACHE_SIZE = 10_000;

/**
 * Turns file names as one matcher's compiler printed them into absolute paths, as VS Code's
 * getResource: 'relative' joins the name to the base (the child's cwd unless the matcher
 * names one), so an absolute name stays as it is; 'absolute' takes the name as it is. Where
 * VS Code would root a name that is not absolute at `/` (an 'absolute' matcher given a
 * relative name, or an 'autoDetect' one whose relative reading does not exist), a path that
 * names no file, it is resolved against the base instead; so 'autoDetect' reads as
 * 'relative'. Cached per name.
 */
export class FileLocator {
  readonly #base: string;
  readonly #absolute: boolean;
  readonly #cache = new Map<string, string>();

  constructor(cwd: string, location: FileLocation) {
    this.#base = location.base === undefined ? cwd : resolve(cwd, location.base);
    this.#absolute = location.kind === 'absolute';
  }

  locate(name: string): string {
    let path = this.#cache.get(name);
    if (path === undefined) {
      // The name is a slice of its pipe chunk, and resolve may hand it back as it is: both the
      // cache's key and the path kept in the diagnostics store are copies.
      path = detach(this.#absolute && isAbsolute(name) ? normalize(name) : resolve(this.#base, name));
      if (this.#cache.size >= CACHE_SIZE) this.#cache.clear();
      this.#cache.set(detach(name), path);
    }
    return path;
  }
}
