// tap ships with its TypeScript plugin compiled in, and that plugin's ts-node cannot load
// TypeScript 7. package.json removes it (tests run through tsx instead), but tap applies a
// plugin change only after one failed run; rebuilding here first makes the first run pass.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const tapManifest = require.resolve('tap/package.json');
// Resolved from tap itself: with npm's shallow install strategy (.npmrc) it is nested there.
const built = createRequire(tapManifest).resolve('@tapjs/test/test-built');
if (readFileSync(built, 'utf8').includes('@tapjs/typescript')) {
  const tapBin = join(dirname(tapManifest), 'dist/esm/run.mjs');
  execFileSync(process.execPath, [tapBin, 'build'], { stdio: 'inherit' });
}
