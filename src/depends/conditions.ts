import { quote } from '../options/duration.js';
import { expectObject } from '../options/fields.js';

/** What a dependent waits for in one dependency; see docs/LIFECYCLE.md, "Start order". */
export const CONDITIONS = ['started', 'ready', 'healthy', 'port', 'cycle', 'cycle-clean', 'exited'] as const;

/** One condition of `spec.dependsOn`. */
export type DependencyCondition = (typeof CONDITIONS)[number];

/**
 * Validates `spec.dependsOn`: `{ id: condition }`. Throws a TypeError naming the field and
 * quoting the value for a condition that is not one of CONDITIONS or a child that depends
 * on itself. Whether the ids exist is the supervisor's check (INVALID_SPEC).
 */
export function parseDependsOn(field: string, value: unknown, selfId: string): Record<string, DependencyCondition> {
  if (value === undefined) return {};
  const spec = expectObject(field, value);
  const result: Record<string, DependencyCondition> = {};
  for (const [id, condition] of Object.entries(spec)) {
    if (id === selfId) throw new TypeError(`${field} names the child itself ("${id}"); a child cannot wait for itself`);
    if (typeof condition !== 'string' || !(CONDITIONS as readonly string[]).includes(condition)) {
      throw new TypeError(
        `${field}.${id} must be one of ${CONDITIONS.map((name) => `'${name}'`).join(', ')}; got ${quote(condition)}`,
      );
    }
    result[id] = condition as DependencyCondition;
  }
  return result;
}
