import { watchHealth } from '../probe/index.js';
import type { PortInfo } from '../protocol/index.js';
import type { ChildHealth } from './events.js';
import type { Run } from './run.js';
import type { ResolvedSpec } from './spec.js';

/** What a run's health checks change in its child. */
export interface HealthHooks {
  ports(): ReadonlyMap<string, PortInfo>;
  /** The child's health changed (set it, announce it). */
  changed(health: ChildHealth, detail: string): void;
  /** The run failed `failures` checks in a row: judge it and stop it. */
  unhealthy(run: Run, detail: string): void;
}

/**
 * Starts `spec.health`'s checks on a run that became ready; they stop when its process
 * exits (Lifecycle calls `run.stopHealth`). Nothing happens without spec.health.
 */
export function startHealth(spec: ResolvedSpec, run: Run, hooks: HealthHooks): void {
  const health = spec.health;
  if (health === undefined) return;
  run.stopHealth = watchHealth(
    health,
    { ports: hooks.ports, cwd: spec.cwd },
    {
      changed: (next, detail) => {
        if (run.exit !== undefined) return;
        hooks.changed(next, detail);
        if (next === 'unhealthy') hooks.unhealthy(run, detail);
      },
    },
  );
}
