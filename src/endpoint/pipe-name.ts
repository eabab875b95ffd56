import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** A fresh, unguessable Windows named-pipe name for one supervisor. */
export function makePipeName(): string {
  return `\\\\.\\pipe\\procwire-${randomBytes(16).toString('hex')}`;
}

// The local pipe namespace, as `\\.\pipe\name` or `\\?\pipe\name`; any slash may be forward.
const PIPE_NAME = /^[\\/]{2}[.?][\\/]pipe[\\/][^\\/]/i;

/**
 * An explicit `socketPath` on Windows must name a pipe: a file path there is not a socket
 * Node can listen on, and taking it silently for something else would hand children an
 * address nobody chose. A name already served is refused at listen (libuv creates the first
 * instance only), so a squatter cannot share it with us.
 */
export function checkPipeName(requested: string): string {
  if (!PIPE_NAME.test(requested)) {
    throw new TypeError(
      `socketPath ${JSON.stringify(requested)} is not a named pipe: on Windows procwire listens on a pipe such as ` +
        '"\\\\.\\pipe\\my-app" (leave socketPath unset for a fresh, unguessable one)',
    );
  }
  return requested;
}

/**
 * Refuses a pipe name some process already serves, as EADDRINUSE. Windows itself refuses a
 * first instance of a served name (libuv asks for FILE_FLAG_FIRST_PIPE_INSTANCE), but not every
 * implementation enforces it (Wine does not), and two servers on one name would split the
 * children between them. A connect that succeeds means a server is there.
 */
export async function refuseServedPipe(name: string, timeoutMs = 2_000): Promise<void> {
  const served = await new Promise<boolean>((resolve) => {
    const probe = connect(name);
    const done = (answer: boolean): void => {
      clearTimeout(timer);
      probe.destroy();
      resolve(answer);
    };
    // A server that never accepts still holds the name; a pending connect says so as well.
    const timer = setTimeout(() => done(true), timeoutMs);
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
  });
  if (served) {
    const error = new Error(
      `procwire will not listen on ${name}: another process already serves that pipe. ` +
        'Stop it, choose another socketPath, or leave socketPath unset for a fresh name',
    ) as NodeJS.ErrnoException;
    error.code = 'EADDRINUSE';
    throw error;
  }
}
