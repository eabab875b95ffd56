import type { Child } from '../child/child.js';
import type { ChildView } from '../control/index.js';
import type { ChildState, ChildStateKind } from '../child/state.js';
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
  /** How it had ended (see stateWord) when the run's shutdown, which stops every child, began. */
  endedAs?: ChildStateKind;
}

/**
 * The state to show: the child's own (see stateWord), `failed` for a child that never started,
 * and after the shutdown how a child that had ended by then ended.
 */
export function shownState(entry: RosterEntry): ChildStateKind | 'pending' {
  if (entry.startError) return 'failed';
  if (entry.child === undefined) return 'pending';
  // The shutdown's stop only marks a child that had ended `stopped`: it still ended as it did.
  if (entry.endedAs !== undefined && entry.child.state.kind === 'stopped') return entry.endedAs;
  return stateWord(entry.child.state);
}

/**
 * The word for a state in every view of the run: its kind, except `failed` for an `exited` that
 * carries an error. Only a start that never got ready, under a policy that does not retry it
 * (a READY_TIMEOUT under restart 'never'), ends so, and the run counts that as a failed start.
 */
export function stateWord(state: ChildState): ChildStateKind {
  return state.kind === 'exited' && state.error !== undefined ? 'failed' : state.kind;
}

/** What a child waiting for its dependencies says (`waiting: db healthy`), shown where its ports will be. */
export function dependencyWait(state: string, reason: string): string | undefined {
  return state === 'starting' && reason.startsWith('waiting: ') ? reason : undefined;
}

/** stateWord for a child as the control API shows it (`procwire ps`), which keeps the state's kind. */
export function viewStateWord(view: Pick<ChildView, 'state' | 'error'>): ChildView['state'] {
  return view.state === 'exited' && view.error !== undefined ? 'failed' : view.state;
}

/** True once the child can do nothing more by itself: it ended and will not restart. */
export function settled(entry: RosterEntry): boolean {
  const state = shownState(entry);
  return state === 'exited' || state === 'failed' || state === 'stopped';
}
