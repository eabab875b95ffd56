import { dirname, resolve } from 'node:path';
import { executableStatus, readTextFile } from './fs-cache.js';
import { findIn, pathDirs, pathValueOf } from './path-search.js';
import type { ToolchainEnv } from './types.js';

/** What an npm `.cmd` shim runs: a Node script, with the `node.exe` beside the shim if there is one. */
export interface NpmCmdShim {
  /** The script's absolute path. */
  script: string;
  /** `node.exe` in the shim's directory, which the shim prefers to the PATH's `node`. */
  besideNode: string;
}

// The script, relative to the shim's directory: `"%dp0%\..\typescript\bin\tsc" %*` (cmd-shim 5 and
// later, npm 7+) or `"%~dp0\..\typescript\bin\tsc" %*` (older npm).
const SCRIPT = /"%~?dp0%?\\([^"]+)"\s+%\*\s*$/m;
// The program is Node: `SET "_prog=node"` (newer) or a line starting `node  "%~dp0\` (older).
const RUNS_NODE = /SET "_prog=node"|^\s*node\s+"%~dp0\\/m;

/**
 * Reads an npm `.cmd` shim (what npm writes into `node_modules/.bin` on Windows for a package's
 * bin) and returns the Node script it runs, or undefined for any other `.cmd` file. A `.cmd`
 * needs `cmd.exe` to run, and a child spawned through a shell gets its arguments re-parsed and
 * its tree one process deeper; running the script with Node directly is what the shim does.
 */
export function readNpmCmdShim(path: string): NpmCmdShim | undefined {
  const text = readTextFile(path);
  if (text === undefined || text.length > 16_384 || !RUNS_NODE.test(text)) return undefined;
  const relative = SCRIPT.exec(text)?.[1];
  if (relative === undefined) return undefined;
  const dir = dirname(path);
  return { script: resolve(dir, ...relative.split('\\')), besideNode: resolve(dir, 'node.exe') };
}

/**
 * The Node an npm shim would run: the `node.exe` beside it, else the first `node.exe` on the PATH
 * of `env` (the pinned runtime's, when it was put first). Undefined when there is none.
 */
export function findShimNode(shim: NpmCmdShim, env: ToolchainEnv): string | undefined {
  if (executableStatus(shim.besideNode) === 'ok') return shim.besideNode;
  return findIn(pathDirs(pathValueOf(env)), 'node', { ...env, PATHEXT: '.EXE' }, 'win32');
}
