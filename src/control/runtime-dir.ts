import { lstat as lstatBack, mkdir as mkdirBack, realpath as realpathBack } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fnv1a64 } from './fnv-hash.js';

// Not node:fs/promises: loading it costs ~1.5 ms of every CLI verb's start (dist/cli.cjs holds
// this module), and these three are all this module uses. realpath.native is one system call,
// as fs/promises' is; the plain callback one lstats every component of the path in turn.
const lstat = promisify(lstatBack);
const mkdir = promisify(mkdirBack);
const realpath = promisify(realpathBack.native);

// The directory checks below repeat, in small, what src/endpoint/trusted-dir.ts and
// socket-path.ts do for the children's socket: control/ may not import endpoint/ (see
// docs/ARCHITECTURE.md), and these few lines are not worth a shared layer of their own yet.

const STICKY = 0o1000;

/** The longest Unix socket path, in bytes: sun_path less its NUL (108 on Linux, 104 elsewhere). */
function maxSocketBytes(): number {
  return process.platform === 'linux' ? 107 : 103;
}

/**
 * The key of a config: the 64-bit FNV-1a hash of its real path in 16 hex digits, so that
 * `./procwire.config.json`, an absolute path and a path through a symlink all find one run.
 * Only the same user's runs share the directory, so a hash that names rather than guards will do.
 */
export async function configKey(config: string): Promise<string> {
  return fnv1a64(await realpath(config));
}

/**
 * Per-user directories for control sockets, best first: `$XDG_RUNTIME_DIR/procwire`, then
 * `<tmpdir>/procwire-<uid>`, then `/tmp/procwire-<uid>`. Every `procwire` of the same user and
 * environment computes the same list, so the verbs find the run's socket.
 */
export function runtimeDirCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const uid = process.getuid?.() ?? userInfo().username;
  const bases = [env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'procwire') : undefined];
  bases.push(join(tmpdir(), `procwire-${uid}`), `/tmp/procwire-${uid}`);
  return [...new Set(bases.filter((base): base is string => base !== undefined))];
}

/**
 * Where the run of the config with this key listens: a named pipe on Windows, elsewhere
 * `<key>.sock` in the first candidate directory where the path fits a Unix socket.
 */
export function controlSocketPathFor(key: string, env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\procwire-${userInfo().username}-${key}`;
  const fits = runtimeDirCandidates(env)
    .map((dir) => join(dir, `${key}.sock`))
    .find((path) => Buffer.byteLength(path) + `.${process.pid}.tmp`.length <= maxSocketBytes());
  if (fits === undefined) {
    throw new Error(
      `procwire has no runtime directory short enough for a Unix socket (${maxSocketBytes()} bytes); ` +
        'set XDG_RUNTIME_DIR to a short directory of yours',
    );
  }
  return fits;
}

/** The control socket of the run of `config` (which must exist). */
export async function controlSocketPath(config: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return controlSocketPathFor(await configKey(config), env);
}

/**
 * Makes the socket's directory (0700) if it is missing, and checks it: a directory (not a
 * symlink) of the current user that nobody else may enter, under parents that nobody else
 * can rename it in. Throws naming the problem and the fix otherwise; never chmods what it
 * did not make.
 */
export async function ensureRuntimeDir(dir: string): Promise<void> {
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const uid = process.getuid?.();
  if (uid === undefined) return;
  const stats = await lstat(dir);
  const unsafe = (problem: string): Error =>
    new Error(
      `procwire will not put its control socket in ${dir}: ${problem}. ` +
        `Remove it (procwire makes it again, mode 0700), or set XDG_RUNTIME_DIR to a private directory`,
    );
  if (!stats.isDirectory()) throw unsafe('it is not a directory');
  if (stats.uid !== uid) throw unsafe(`it belongs to uid ${stats.uid}, not to you (uid ${uid})`);
  if ((stats.mode & 0o077) !== 0) throw unsafe(`its mode is ${(stats.mode & 0o777).toString(8)}, not 700`);
  for (let parent = dirname(await realpath(dir)); ; parent = dirname(parent)) {
    const problem = parentProblem(parent, await lstat(parent), uid);
    if (problem !== undefined) throw unsafe(problem);
    if (dirname(parent) === parent) return;
  }
}

function parentProblem(path: string, stats: { uid: number; mode: number }, uid: number): string | undefined {
  if (stats.uid !== uid && stats.uid !== 0) return `${path} belongs to uid ${stats.uid}, who could swap it`;
  if ((stats.mode & STICKY) !== 0) return undefined;
  if ((stats.mode & 0o022) !== 0) return `${path} is writable by others without the sticky bit`;
  return undefined;
}
