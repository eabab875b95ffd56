import { ProcwireError } from '../protocol/index.js';
import type { ExitInfo } from '../terminate/stop-result.js';
import { gaveUpMessage } from './gave-up-message.js';
import type { RunOutcome } from './policy.js';

/** What gaveUpError needs of the child. */
export interface GaveUpHost {
  readonly id: string;
  readonly maxRestarts: number;
  readonly restartWindowMs: number;
}

/**
 * GAVE_UP for a child whose restart limit is reached: the message says the limit and the last
 * failure (read back by gave-up-message.ts lastFailureOf); `cause` is the start error, or the parent's verdict
 * that stopped the run (UNHEALTHY, a missed heartbeat's TIMEOUT, PROTOCOL_ERROR); exit code,
 * signal and stderr tail are the last run's.
 */
export function gaveUpError(host: GaveUpHost, outcome: RunOutcome, error: ProcwireError | undefined): ProcwireError {
  const last = error ? error.message : describeOutcome(outcome);
  const limit =
    host.maxRestarts === 0
      ? 'maxRestarts is 0'
      : `${host.maxRestarts} restart${host.maxRestarts === 1 ? '' : 's'} ` +
        `within ${host.restartWindowMs / 1000} s used up`;
  const exit: ExitInfo | undefined =
    outcome.exit ??
    (error?.exitCode === undefined ? undefined : { exitCode: error.exitCode, signal: error.signal ?? null });
  const verdict = 'verdict' in outcome ? outcome.verdict : undefined;
  return new ProcwireError('GAVE_UP', gaveUpMessage(host.id, limit, last), {
    childId: host.id,
    cause: error ?? verdict,
    exitCode: exit?.exitCode ?? null,
    signal: exit?.signal ?? null,
    stderrTail: error?.stderrTail,
  });
}

function describeOutcome(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case 'hung':
      return 'it stopped sending heartbeats (hung)';
    case 'unhealthy':
      return `unhealthy: ${outcome.detail}`;
    case 'protocol-error':
      return 'it broke the protocol';
    default: {
      // In the words of the run's exit line and the restart's reason (child/run.ts describeExit).
      const exit = outcome.exit;
      if (exit === undefined) return 'no exit was observed';
      return exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    }
  }
}
