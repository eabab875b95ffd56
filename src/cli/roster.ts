import type { Child } from '../child/child.js';
import type { ChildStateKind } from '../child/state.js';
import type { ProcwireError } from '../protocol/index.js';

/** What the CLI knows of one configured child, including one that never started. */
export interface RosterEntry {
  readonly id: string;
  readonly critical: boolean;
  child: Child | undefined;
  /** Why its first start failed (spawn rejected), if it did. */
  startError: ProcwireError | undefined;
  /** The answer of one GET to each http port, by port name: '200 OK', 'ECONNREFUSED'. */
  readonly probes: Map<string, string>;
}

/** The state to show: the child's own, or `failed` for a child that never started. */
export function shownState(entry: RosterEntry): ChildStateKind | 'pending' {
  if (entry.startError) return 'failed';
  return entry.child?.state.kind ?? 'pending';
}

/** True once the child can do nothing more by itself: it ended and will not restart. */
export function settled(entry: RosterEntry): boolean {
  const state = shownState(entry);
  return state === 'exited' || state === 'failed' || state === 'stopped';
}
