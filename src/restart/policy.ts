import type { ProcwireError } from '../protocol/index.js';
import type { ExitInfo } from '../terminate/stop-result.js';

/** When a child that ended by itself is started again. */
export type RestartMode = 'always' | 'on-failure' | 'never';

/**
 * How a run ended, for the restart policy to judge. The parent's verdicts (hung, protocol,
 * unhealthy) carry the error that stopped the run, the cause of a GAVE_UP that follows.
 */
export type RunOutcome =
  | { kind: 'exit'; exit: ExitInfo }
  | { kind: 'start-failed'; exit: ExitInfo | undefined }
  | { kind: 'hung'; exit: ExitInfo | undefined; verdict?: ProcwireError }
  | { kind: 'protocol-error'; exit: ExitInfo | undefined; verdict?: ProcwireError }
  /** Its health checks failed (spec.health); `detail` says how. */
  | { kind: 'unhealthy'; exit: ExitInfo | undefined; detail: string; verdict?: ProcwireError };

/**
 * True when the outcome is a failure: a non-zero exit, a death by signal, a start that
 * never reached ready, a missed heartbeat, a broken protocol, or failed health checks. A clean exit (code 0) is not.
 */
export function isFailure(outcome: RunOutcome): boolean {
  if (outcome.kind !== 'exit') return true;
  return outcome.exit.signal !== null || outcome.exit.exitCode !== 0;
}

/** Whether the policy wants the child back after this outcome (limits aside). */
export function wantsRestart(mode: RestartMode, outcome: RunOutcome): boolean {
  if (mode === 'always') return true;
  if (mode === 'on-failure') return isFailure(outcome);
  return false;
}
