import { createConnection, type Server } from 'node:net';
import { unlink } from 'node:fs/promises';

const LISTEN_BACKLOG = 4096;

/**
 * Listens on a socket path. When the path is taken, it is removed only if nothing answers a
 * connect to it (a stale file left by a process that died); a live listener is never
 * displaced, and the error says so.
 */
export async function listenOnPath(server: Server, path: string): Promise<void> {
  try {
    await listenOnce(server, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.platform === 'win32') throw cannotListen(path, error);
    if (await somebodyListens(path)) {
      throw new Error(`another process is listening on ${path}; stop it or choose another socketPath`, {
        cause: error,
      });
    }
    await unlink(path).catch(() => undefined);
    await listenOnce(server, path).catch((retryError: unknown) => {
      throw cannotListen(path, retryError);
    });
  }
}

// libuv reports a missing directory as EACCES for sockets, so the hint covers both.
function cannotListen(path: string, cause: unknown): Error {
  const error = new Error(
    `procwire could not listen on ${path}: ${(cause as Error).message}. ` +
      'Check that its directory exists and is writable by you, or leave socketPath unset.',
    { cause },
  ) as NodeJS.ErrnoException;
  const code = (cause as NodeJS.ErrnoException).code;
  if (code !== undefined) error.code = code;
  return error;
}

function listenOnce(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // A deep accept queue (the kernel caps it at somaxconn): on a Unix socket a full queue
    // fails new connects at once with EAGAIN, so a burst of strangers could lock out a real child.
    server.listen({ path, backlog: LISTEN_BACKLOG });
  });
}

function somebodyListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
