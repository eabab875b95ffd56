import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Built, this file is dist/src/paths.js and the bundles sit in dist/; run from source
// (tests, the demo) it is src/paths.ts and they sit in dist/ beside src/.
const here = dirname(fileURLToPath(import.meta.url));

function bundle(name: string): string {
  const built = join(here, '..', name);
  const fromSource = join(here, '..', 'dist', name);
  return existsSync(built) || !existsSync(fromSource) ? built : fromSource;
}

/**
 * Absolute path of the child SDK's CommonJS entry, dependency-free, that any Node >= 16 can
 * `require`, for children that run on another Node and cannot see this package. It loads its
 * parts (child-wire.cjs, and after ready child-rpc.cjs) from beside itself: require it where it
 * is, do not copy it alone.
 */
export const childSdkPath: string = bundle('child.cjs');

/**
 * Absolute path of the child SDK as one self-contained CommonJS file (the same API as
 * childSdkPath), for a child that can take only one file: copy it anywhere, any Node >= 16
 * can `require` it. It loads all of the SDK at start, so it reaches ready a little later.
 */
export const childSdkStandalonePath: string = bundle('child-standalone.cjs');

/**
 * Absolute path of the preload: `node --require <registerPath> app.js` supervises an app
 * with no procwire code (ports from its servers, crashes as diagnostics, readiness).
 */
export const registerPath: string = bundle('register.cjs');

/** @internal The dashboard's built page (index.html, app.js, app.css), served by `procwire run --ui`. */
export const uiDir: string = bundle('ui');
