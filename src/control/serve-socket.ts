import { createServer, type RequestListener, type Server } from 'node:http';
import { connect } from 'node:net';
import { chmod, link, lstat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { requestJson } from './client.js';
import { controlSocketPath, ensureRuntimeDir } from './runtime-dir.js';
import type { RunInfo } from './types.js';

/** A control API being served on a Unix socket (or named pipe). */
export interface ControlSocket {
  readonly path: string;
  readonly server: Server;
  /** Stops listening, ends open connections, and removes the socket if it is still ours. */
  close(): Promise<void>;
}

/** Another run already serves this config; `message` says which and what to do. */
export class ControlSocketInUse extends Error {
  override readonly name = 'ControlSocketInUse';
  readonly path: string;
  readonly other: RunInfo | undefined;

  constructor(path: string, other: RunInfo | undefined, config: string | undefined) {
    const who = other ? `procwire run (pid ${other.pid}, since ${other.startedAt})` : 'procwire run';
    super(
      `another ${who} is already serving ${config ?? path} on ${path}; ` +
        'stop it first (Ctrl-C in its terminal), or talk to it from here: procwire ps, procwire logs',
    );
    this.path = path;
    this.other = other;
  }
}

/**
 * Serves `listener` on the control socket of `config` (or on `path`): a Unix socket of mode
 * 0600 in a per-user directory of mode 0700. A socket someone answers on is never taken over:
 * that is a ControlSocketInUse. Our own socket that nobody answers on (a run that was killed)
 * is replaced. The socket is bound under a temporary name and hard-linked into place, so two
 * runs starting together cannot both get it.
 */
export async function serveControlSocket(
  listener: RequestListener,
  where: { config: string; path?: undefined } | { path: string; config?: string },
): Promise<ControlSocket> {
  const path = where.path ?? (await controlSocketPath(where.config as string));
  const server = createServer(listener);
  if (process.platform === 'win32') {
    await listen(server, path).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new ControlSocketInUse(path, await runInfo(path), where.config);
      throw error;
    });
    return placed(server, path, undefined);
  }
  await ensureRuntimeDir(dirname(path));
  await clearIfStale(path, where.config);
  const temp = `${path}.${process.pid}.tmp`;
  await unlink(temp).catch(() => undefined);
  await listen(server, temp);
  try {
    await chmod(temp, 0o600);
    await link(temp, path).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new ControlSocketInUse(path, await runInfo(path), where.config);
      throw error;
    });
  } catch (error) {
    server.close();
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const { dev, ino } = await lstat(path);
  return placed(server, path, { dev, ino });
}

function placed(server: Server, path: string, id: { dev: number; ino: number } | undefined): ControlSocket {
  return {
    path,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (id === undefined) return;
      const now = await lstat(path).catch(() => undefined);
      if (now?.isSocket() && now.dev === id.dev && now.ino === id.ino) await unlink(path).catch(() => undefined);
    },
  };
}

/** Removes a socket at `path` that is ours and dead; throws for anything else that is there. */
async function clearIfStale(path: string, config: string | undefined): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats === undefined) return;
  if (!stats.isSocket() || stats.uid !== process.getuid?.()) {
    throw new Error(`procwire will not replace ${path}: it is not a socket of yours; remove it if it is not needed`);
  }
  if (await answers(path)) throw new ControlSocketInUse(path, await runInfo(path), config);
  // Only the dead socket we looked at: one another run has just linked in its place stays.
  const again = await lstat(path).catch(() => undefined);
  if (again?.dev === stats.dev && again.ino === stats.ino) await unlink(path).catch(() => undefined);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function runInfo(path: string): Promise<RunInfo | undefined> {
  return requestJson<RunInfo>(path, 'GET', '/api/run', { timeoutMs: 2000 }).catch(() => undefined);
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
