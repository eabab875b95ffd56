import type { DependencyNode } from '../depends/index.js';
import type { ResolvedSpec } from './spec.js';

/** A spec as the dependency check sees it; with `present`, only dependencies on children that exist now. */
export function dependencyNode(spec: ResolvedSpec, present: ReadonlyMap<string, unknown> | undefined): DependencyNode {
  const dependsOn = present
    ? Object.fromEntries(Object.entries(spec.dependsOn).filter(([id]) => present.has(id)))
    : spec.dependsOn;
  return {
    id: spec.id,
    dependsOn,
    hasHealth: spec.health !== undefined,
    hasCycles: spec.matchers.some((matcher) => matcher.background !== undefined),
  };
}
