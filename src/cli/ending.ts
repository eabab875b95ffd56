import { describeExit } from '../child/run.js';
import type { ChildState } from '../child/state.js';
import type { ProcwireError } from '../protocol/index.js';
import { lastFailureOf } from '../restart/gave-up-message.js';
import type { StopResult } from '../terminate/stop-result.js';
import { briefError, errorLine } from './error-text.js';
import { escapeControls } from './sanitize-text.js';

/** How one configured child's part in a run ended, as the closing summary says it. */
export interface Ending {
  /** `failed`: its start failed or it gave up, as the status table says too (see shownState). */
  kind: 'stopped' | 'exited' | 'failed' | 'not started';
  /** e.g. `stopped (clean)`, `exited with code 3`, `failed (restart limit reached; …)`; control characters escaped. */
  text: string;
  /**
   * Whether it fails the run when the child is critical: `failed`, or `exited` by itself with a
   * non-zero code or a signal (a one-shot compiler that found errors). A stop by the run is not.
   */
  fails: boolean;
}

/**
 * How a child ended, from its state just before the run's shutdown (`before`, with the error
 * of a start that was refused by then) and its state after it (`after`). A child that had
 * ended by itself is judged by `before`, since the shutdown's stop leaves every child
 * `stopped`; one that was still running is `stopped`, with how the stop went.
 */
export function describeEnding(
  before: ChildState | undefined,
  startError: ProcwireError | undefined,
  after: ChildState | undefined,
): Ending {
  if (startError) return failed(`did not start: ${reasonOf(startError)}`);
  if (before === undefined) return { kind: 'not started', text: 'not started (the run ended first)', fails: false };
  switch (before.kind) {
    case 'failed':
      return failed(reasonOf(before.error));
    case 'exited': {
      // A start that never got ready and is not retried (see stateWord); the run's own starts
      // have a startError too, a start through the control API does not.
      if (before.error) return failed(`did not start: ${reasonOf(before.error)}`);
      const fails = before.signal !== null || before.exitCode !== 0;
      return { kind: 'exited', text: describeExit(before), fails };
    }
    case 'stopped':
      return stopped('stopped', before.result);
    case 'backoff':
      // No process ran: the result of the stop would be the crash that caused the backoff.
      return {
        kind: 'stopped',
        text: `stopped during backoff (its last run ${describeExit(before.lastExit)})`,
        fails: false,
      };
    case 'starting':
      // Still waiting for its dependencies (spec.dependsOn): it never was started.
      if (before.pid === undefined && before.reason.startsWith('waiting: '))
        return { kind: 'not started', text: `not started (${escapeControls(before.reason)})`, fails: false };
      if (before.pid === undefined)
        return { kind: 'stopped', text: 'stopped before its process started', fails: false };
      return stoppedBy('stopped while starting', after);
    default:
      return stoppedBy('stopped', after);
  }
}

function stoppedBy(words: string, after: ChildState | undefined): Ending {
  // Only a shutdown that threw part-way leaves a child in another state; say where it was left.
  if (after?.kind !== 'stopped')
    return { kind: 'stopped', text: `${words}: left ${after?.kind ?? 'unknown'}`, fails: false };
  return stopped(words, after.result);
}

function stopped(words: string, result: StopResult): Ending {
  return { kind: 'stopped', text: `${words} (${describeStop(result)})`, fails: false };
}

/** `clean` (it exited 0 without a signal from us), or how the stop ended otherwise. */
export function describeStop(result: StopResult): string {
  if (result.termination === 'indeterminate') return 'no exit was observed';
  if (result.termination === 'clean') {
    return result.exitCode === 0 && result.signal === null ? 'clean' : `clean, ${describeExit(result)}`;
  }
  return `escalated, ${describeExit(result)}`;
}

function failed(reason: string): Ending {
  return { kind: 'failed', text: `failed (${reason})`, fails: true };
}

/**
 * A failure in a few words: GAVE_UP's advice is for the library's caller, not for the CLI's
 * reader. Its last failure is the one its message (the gave-up line) names: the exit of a run
 * the parent stopped (an unhealthy one) is the parent's own signal, not why it failed.
 */
function reasonOf(error: ProcwireError): string {
  // Its event line printed the whole message.
  if (error.code !== 'GAVE_UP') return briefError(error, error.childId ?? '');
  const last =
    lastFailureOf(error.message) ??
    (error.cause instanceof Error
      ? error.cause.message
      : describeExit({ exitCode: error.exitCode ?? null, signal: error.signal ?? null }));
  return `restart limit reached; last failure: ${errorLine({ message: last, stderrTail: error.stderrTail })}`;
}
