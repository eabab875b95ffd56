import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * procwire's version, from the package.json of the nearest directory above this file whose
 * package is procwire: the package root, whether this file runs as dist/cli.cjs (the bundle),
 * dist/src/cli/version.js or src/cli/version.ts. Read when asked, not at load: every verb loads
 * this module and only `--version` needs it.
 */
export function readVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === 'procwire' && typeof manifest.version === 'string') return manifest.version;
    if (dirname(dir) === dir) throw new Error(`procwire: no package.json of procwire above ${import.meta.url}`);
  }
}

function readManifest(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}
