import type { ReadyKind } from './ready-kind.js';

/** Ready as soon as the process has spawned: the default for `connect: 'none'`. */
export interface SpawnCondition {
  kind: 'spawn';
}

/** `readyWhen: 'spawn'`. */
export const readySpawn: ReadyKind<SpawnCondition> = {
  parse: () => ({ kind: 'spawn' }),
  watch(_condition, _signals, ready) {
    ready();
    return () => undefined;
  },
  describe: () => 'its process to spawn',
};
