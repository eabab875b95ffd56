import type { Server } from 'node:net';

const LISTEN_BACKLOG = 4096;

/** Listens on a socket path (or pipe name) that is known to be free; errors name the path. */
export async function listenOnPath(server: Server, path: string): Promise<void> {
  await listenOnce(server, path).catch((error: unknown) => {
    throw cannotListen(path, error);
  });
}

/**
 * The error for a path procwire cannot listen on, naming it with a hint. libuv reports a
 * missing directory as EACCES for sockets, so the hint covers both.
 */
export function cannotListen(path: string, cause: unknown): Error {
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
