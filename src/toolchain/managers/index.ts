import type { RuntimeName } from '../types.js';
import { asdf } from './asdf.js';
import { fnm } from './fnm.js';
import type { Manager } from './manager.js';
import { mise } from './mise.js';
import { nvm } from './nvm.js';
import { procwireCache } from './procwire-cache.js';
import { pyenv } from './pyenv.js';
import { volta } from './volta.js';

export type { Manager } from './manager.js';
export { resolveNvmAlias } from './nvm.js';

// Search order; PATH comes after all of them (see path-runtime.ts). Ties between equal
// versions go to the earlier manager.
const MANAGERS: Record<RuntimeName, readonly Manager[]> = {
  node: [nvm, fnm, volta, mise, asdf, procwireCache],
  python: [pyenv, mise, asdf],
};

/** The managers that may hold `runtime`, in search order. */
export function managersFor(runtime: RuntimeName): readonly Manager[] {
  return MANAGERS[runtime];
}

/** The manager called `name` (for its install command). */
export function managerNamed(name: string): Manager | undefined {
  return [...MANAGERS.node, ...MANAGERS.python].find((manager) => manager.name === name);
}
