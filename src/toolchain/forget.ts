import { forgetFiles } from './fs-cache.js';
import { forgetPathVersions } from './path-runtime.js';
import { forgetParsedPackages } from './pin-files.js';
import { forgetListings } from './version-dir.js';

/**
 * @internal Forgets everything resolution remembers, so the next one is cold (benchmarks). Never
 * needed for correctness: what is remembered is checked against a stat before it is used.
 */
export function forgetToolchainCaches(): void {
  forgetFiles();
  forgetListings();
  forgetParsedPackages();
  forgetPathVersions();
}
