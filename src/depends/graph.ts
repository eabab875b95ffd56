import { ProcwireError } from '../protocol/index.js';
import type { DependencyCondition } from './conditions.js';

/** What the graph check needs of one child. */
export interface DependencyNode {
  id: string;
  dependsOn: Readonly<Record<string, DependencyCondition>>;
  /** It has `spec.health`, so 'healthy' can hold. */
  hasHealth: boolean;
  /** It has a `background` matcher, so 'cycle' and 'cycle-clean' can hold. */
  hasCycles: boolean;
}

/**
 * Checks a set of children's dependencies before anything starts: every id named exists, each
 * condition can hold for its dependency ('healthy' needs spec.health; 'cycle' and
 * 'cycle-clean' a background matcher), and there is no cycle. Throws INVALID_SPEC naming
 * the child and what to fix. Returns the ids in a start order: every child after what it
 * depends on, otherwise in the order given.
 */
export function checkDependencies(nodes: readonly DependencyNode[]): string[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) {
    for (const [id, condition] of Object.entries(node.dependsOn)) {
      const dependency = byId.get(id);
      if (dependency === undefined) {
        throw invalid(node.id, `depends on "${id}", which does not exist; spawn "${id}" first or fix the id`);
      }
      if (condition === 'healthy' && !dependency.hasHealth) {
        throw invalid(node.id, `waits for "${id}" to be healthy, but "${id}" has no health check; give it spec.health`);
      }
      if ((condition === 'cycle' || condition === 'cycle-clean') && !dependency.hasCycles) {
        throw invalid(node.id, `waits for a watch cycle of "${id}", which has no background matcher`);
      }
    }
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: DependencyNode, path: string[]): void => {
    const seen = state.get(node.id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const loop = [...path.slice(path.indexOf(node.id)), node.id];
      throw invalid(node.id, `is part of a dependency cycle: ${loop.join(' -> ')}; remove one of these dependsOn`);
    }
    state.set(node.id, 'visiting');
    for (const id of Object.keys(node.dependsOn)) visit(byId.get(id) as DependencyNode, [...path, node.id]);
    state.set(node.id, 'done');
    order.push(node.id);
  };
  for (const node of nodes) visit(node, []);
  return order;
}

function invalid(id: string, what: string): ProcwireError {
  return new ProcwireError('INVALID_SPEC', `child "${id}" ${what}`, { childId: id });
}
