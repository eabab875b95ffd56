import { mkdtemp, realpath, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { socketPathFits } from './socket-path.js';
import { untrustedDirProblem } from './trusted-dir.js';

/** The socket's file name inside the private directory. */
export const SOCKET_NAME = 's.sock';
// The longest name mkdtemp makes below a base: "/procwire-" + 6 random characters.
const DIR_PREFIX = 'procwire-';

/** A freshly made private directory and the socket path inside it. */
export interface PrivateSocketDir {
  dir: string;
  socketPath: string;
}

/**
 * Where to try making the socket directory, best first: the caller's choice, then
 * `$XDG_RUNTIME_DIR` (per-user, 0700, tmpfs), then the temp dir, then `/tmp`, the shortest
 * common base, for when the others make a path too long for a Unix socket.
 */
export function socketDirCandidates(preferred?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const bases = [preferred, env.XDG_RUNTIME_DIR, tmpdir(), '/tmp'].filter(
    (base): base is string => typeof base === 'string' && base.length > 0,
  );
  return [...new Set(bases)];
}

/**
 * Makes a private (0700) directory for the socket under the first base whose resolved
 * path keeps the socket path within the platform's byte limit. Bases that do not exist, are
 * not writable, or in which another user could rename the private directory and put their
 * own in its place (see untrustedDirProblem) are skipped. Throws when none fits, listing
 * what was tried and why each was skipped.
 */
export async function makePrivateSocketDir(bases: string[]): Promise<PrivateSocketDir> {
  const tried: string[] = [];
  for (const base of bases) {
    let resolved: string;
    try {
      // Symlinks are resolved first: the kernel checks the length of the path it is given,
      // but a short link to a long target (macOS's /var -> /private/var) hides the real size.
      resolved = await realpath(base);
    } catch (error) {
      tried.push(`${base} (${(error as NodeJS.ErrnoException).code ?? 'unusable'})`);
      continue;
    }
    const problem = await untrustedDirProblem(resolved).catch(
      (error: NodeJS.ErrnoException) => error.code ?? 'unusable',
    );
    if (problem !== undefined) {
      tried.push(`${resolved} (${problem})`);
      continue;
    }
    const longest = join(resolved, `${DIR_PREFIX}XXXXXX`, SOCKET_NAME);
    if (!socketPathFits(longest)) {
      tried.push(`${resolved} (socket path would be ${Buffer.byteLength(longest)} bytes)`);
      continue;
    }
    let dir: string;
    try {
      dir = await mkdtemp(join(resolved, DIR_PREFIX));
    } catch (error) {
      tried.push(`${resolved} (${(error as NodeJS.ErrnoException).code ?? 'mkdtemp failed'})`);
      continue;
    }
    try {
      // mkdtemp already uses 0700; chmod again so a permissive umask-less platform cannot widen it.
      await chmod(dir, 0o700);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return { dir, socketPath: join(dir, SOCKET_NAME) };
  }
  throw new Error(
    `procwire could not make a socket directory: ${tried.join('; ')}. ` +
      'Pass socketDir with a short directory that you own and only you can write to.',
  );
}
