import type { ProcwireError } from '../protocol/index.js';
import type { RunOutcome } from '../restart/policy.js';
import { endGroupRemains } from '../terminate/end-group-remains.js';
import { escalate } from '../terminate/escalate.js';
import type { ExitInfo, StopResult } from '../terminate/stop-result.js';
import type { ChildConnection } from './child-connection.js';
import type { GroupWatch } from '../discover/index.js';
import type { HeartbeatWatch } from './heartbeat.js';
import type { ProcessHandle } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';

/** Why the parent judged a live process broken. */
export interface RunFailure {
  reason: 'protocol' | 'hung' | 'unhealthy';
  error: ProcwireError;
  /** For 'unhealthy': what the health checks saw. */
  detail?: string;
}

/**
 * One process of a child and what belongs to it alone: its connection, its heartbeat watch,
 * the one escalation that ends it, and the parent's verdict on it. A verdict is given once
 * (the first stands) and is read through `outcomeOf` and `condemned`, never as a flag that
 * other code sets and clears.
 */
export class Run {
  readonly handle: ProcessHandle;
  /** Set once, when its connection is accepted. */
  connection: ChildConnection | undefined;
  heartbeat: HeartbeatWatch | undefined;
  /** Stops this process's health checks (spec.health), once it is ready. */
  stopHealth: (() => void) | undefined;
  /** The OS port discovery of this process (`spec.ports: 'auto'`), stopped when it exits. */
  discovery: GroupWatch | undefined;
  /** The one escalation that ends this process; whoever asks first starts it. */
  termination: Promise<StopResult> | undefined;
  /** After its process exited by itself: the end of what it left in its group (see endRunRemains). */
  remains: Promise<unknown> | undefined;
  /** Resolves with the parent's verdict, if it ever gives one. */
  readonly condemned: Promise<RunFailure>;
  #verdict: RunFailure | undefined;
  readonly #condemn: (failure: RunFailure) => void;

  constructor(handle: ProcessHandle) {
    this.handle = handle;
    let condemn!: (failure: RunFailure) => void;
    this.condemned = new Promise((resolve) => {
      condemn = resolve;
    });
    this.#condemn = condemn;
  }

  /** Judges the live process broken (it broke the protocol, or hung). The first verdict stands. */
  condemn(failure: RunFailure): void {
    if (this.#verdict !== undefined) return;
    this.#verdict = failure;
    this.#condemn(failure);
  }

  /** How the process exited, or undefined while it runs. */
  get exit(): ExitInfo | undefined {
    const { exitCode, signalCode } = this.handle.process;
    return exitCode === null && signalCode === null ? undefined : { exitCode, signal: signalCode };
  }

  /** How a run that was ready ended, for the restart policy: its exit, judged by the verdict. */
  outcomeOf(exit: ExitInfo): RunOutcome {
    const verdict = this.#verdict;
    if (verdict?.reason === 'hung') return { kind: 'hung', exit, verdict: verdict.error };
    if (verdict?.reason === 'protocol') return { kind: 'protocol-error', exit, verdict: verdict.error };
    if (verdict?.reason === 'unhealthy')
      return { kind: 'unhealthy', exit, detail: verdict.detail ?? '', verdict: verdict.error };
    return { kind: 'exit', exit };
  }
}

/**
 * Ends the run's process once: `first` picks the first phase (see escalate). Later callers
 * share the same outcome, so a stop and a failed start never signal twice.
 */
export function terminateRun(run: Run, spec: ResolvedSpec, first: 'shutdown' | 'wait' | 'signal'): Promise<StopResult> {
  run.termination ??= escalate(
    { pid: run.handle.pid, exited: run.handle.exited },
    {
      first,
      requestShutdown: () => run.connection?.requestShutdown() ?? Promise.resolve(),
      graceMs: spec.stopTimeoutMs,
      stopSignal: spec.stopSignal,
    },
  );
  return run.termination;
}

/**
 * The run's process exited by itself (no stop was under way): what is left of its group ends
 * too (endGroupRemains). While it does, that is the run's termination, which a stop and a
 * shutdown wait for, and a restart waits for it too (watchRun).
 */
export function endRunRemains(run: Run, spec: ResolvedSpec, exit: ExitInfo): void {
  if (run.termination !== undefined) return;
  const remains = endGroupRemains(run.handle.pid, spec.stopSignal, spec.stopTimeoutMs);
  if (remains === undefined) return;
  run.remains = remains;
  run.termination = remains.then(() => ({ ...exit, termination: 'clean' as const }));
}

/** A short description of an exit, for state reasons and messages. */
export function describeExit(exit: ExitInfo | undefined): string {
  if (exit === undefined) return 'no exit was observed';
  return exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
}

/**
 * Resolves with how a ready run ended, judged by its verdict, once what it left in its group
 * is gone too (see endRunRemains), so that a restart does not meet it; undefined when a stop
 * came first.
 */
export function watchRun(run: Run, aborted: AbortSignal): Promise<RunOutcome | undefined> {
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(undefined);
    aborted.addEventListener('abort', onAbort, { once: true });
    void run.handle.exited.then((exit) => {
      const ended = (): void => {
        aborted.removeEventListener('abort', onAbort);
        resolve(run.outcomeOf(exit));
      };
      // Usually nothing is left in the group, and the outcome is told at once, as before.
      if (run.remains === undefined) ended();
      else void run.remains.then(ended);
    });
  });
}

/** Why a run that ended is restarted, in words, for the `restart` event and the state's reason. */
export function failureReason(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case 'exit':
      return describeExit(outcome.exit);
    case 'hung':
      return 'it stopped sending heartbeats';
    case 'protocol-error':
      return 'it broke the protocol';
    case 'start-failed':
      return 'it failed to start';
    case 'unhealthy':
      return `unhealthy: ${outcome.detail}`;
  }
}
