import type { Child } from '../child/child.js';
import type { Supervisor } from '../supervisor.js';
import type { EventHub } from './event-hub.js';
import { unknownChild } from './event-route.js';
import { HttpError } from './http-error.js';

/** What a POST to a child does, and what it answers (the child's view is added by the caller). */
export type ChildAction = 'start' | 'stop' | 'restart';

/**
 * Runs a control on the child `id` and resolves with what to add to the answer: the StopResult
 * for `stop`, nothing for the others; rejects with the control's ProcwireError. A configured
 * child whose start failed (the supervisor let it go) is spawned again by `respawn` on a start
 * or restart, when there is one; otherwise, and for a child not spawned yet, 409.
 */
export function controlled(
  sup: Supervisor,
  hub: EventHub,
  id: string,
  action: ChildAction,
  respawn: ((id: string) => Promise<unknown>) | undefined,
): Promise<Record<string, unknown>> {
  const child = sup.get(id);
  if (child) return runAction(child, action);
  if (!hub.has(id)) throw unknownChild(id);
  const letGo = hub.child(id) !== undefined;
  if (letGo && respawn !== undefined && action !== 'stop') return respawn(id).then(() => ({}));
  const why = !letGo
    ? 'it has not been spawned yet (it waits for its turn in the config)'
    : respawn !== undefined
      ? 'its start failed, so nothing runs to stop; start it to try again'
      : 'its start failed and the supervisor let it go; run procwire again to retry it';
  throw new HttpError(409, 'NOT_CONTROLLABLE', `child ${JSON.stringify(id)} cannot be controlled: ${why}`);
}

async function runAction(child: Child, action: ChildAction): Promise<Record<string, unknown>> {
  if (action === 'stop') return { result: await child.stop() };
  if (action === 'start') await child.start();
  else await child.restart();
  return {};
}

/** `tail=N` of a logs request: an integer from 0 to `max`, `fallback` when absent. */
export function tailCount(value: string | null, fallback: number, max: number): number {
  if (value === null) return Math.min(fallback, max);
  if (!/^\d{1,9}$/.test(value)) {
    throw new HttpError(400, 'BAD_REQUEST', `tail must be a whole number of lines; got ${JSON.stringify(value)}`);
  }
  return Math.min(Number(value), max);
}
