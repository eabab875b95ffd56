import { Env } from '../src/protocol/wire/env.js';

/** Where the supervisor listens and who this process is to it, as its environment said. */
export interface SupervisorEnv {
  socket: string | undefined;
  id: string | undefined;
  token: string | undefined;
}

// Process-wide, like the connection slot in connect.ts: a preload and the application may
// hold different copies of this bundle, and the second must still find what the first took.
const TAKEN = Symbol.for('procwire.child.env');
type Slot = { [TAKEN]?: SupervisorEnv };

/**
 * Reads PROCWIRE_SOCKET, PROCWIRE_ID and PROCWIRE_TOKEN and removes them from `process.env`,
 * once per process, so that no subprocess inherits them: the token is single-use, and the
 * socket and id would only make a subprocess take itself for the supervised child. Later calls
 * get the same values from memory, so a second connect() (or one retried after a failure)
 * still works. Returns all undefined when none is set.
 */
export function takeSupervisorEnv(): SupervisorEnv {
  const slot = globalThis as Slot;
  const taken = slot[TAKEN];
  if (taken !== undefined) return taken;
  const env: SupervisorEnv = {
    socket: process.env[Env.socket],
    id: process.env[Env.id],
    token: process.env[Env.token],
  };
  if (env.socket === undefined && env.id === undefined && env.token === undefined) return env;
  slot[TAKEN] = env;
  delete process.env[Env.socket];
  delete process.env[Env.id];
  delete process.env[Env.token];
  return env;
}
