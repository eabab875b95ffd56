import { basename, dirname, join } from 'node:path';
import { controlSocketPath, ensureRuntimeDir } from '../control/index.js';

/**
 * Where `procwire run` keeps the journal of its live children (the Supervisor's `stateDir`):
 * beside the config's control socket, as `<key>.children`, so that a run started after one that
 * was SIGKILLed stops the plain children that one left running (an SDK child exits by itself).
 * Undefined on Windows, where a Job Object ends them with their supervisor. Throws as
 * ensureRuntimeDir does when the directory is not private.
 */
export async function runStateDir(config: string): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  const socket = await controlSocketPath(config);
  await ensureRuntimeDir(dirname(socket));
  return join(dirname(socket), `${basename(socket, '.sock')}.children`);
}
