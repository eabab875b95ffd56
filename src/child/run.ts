import type { ProcwireError } from '../protocol/index.js';
import { escalate } from '../terminate/escalate.js';
import type { ExitInfo, StopResult } from '../terminate/stop-result.js';
import type { ChildConnection } from './child-connection.js';
import type { HeartbeatWatch } from './heartbeat.js';
import type { ProcessHandle } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';

/** One process of a child and what belongs to it alone: its connection and its end. */
export interface Run {
  readonly handle: ProcessHandle;
  connection: ChildConnection | undefined;
  heartbeat: HeartbeatWatch | undefined;
  /** The one escalation that ends this process; whoever asks first starts it. */
  termination: Promise<StopResult> | undefined;
  /** Set when the parent judged the running process broken: it broke the protocol or hung. */
  failure: { reason: 'protocol' | 'hung'; error: ProcwireError } | undefined;
}

/** How the process exited, or undefined while it runs. */
export function exitOf(run: Run): ExitInfo | undefined {
  const { exitCode, signalCode } = run.handle.process;
  return exitCode === null && signalCode === null ? undefined : { exitCode, signal: signalCode };
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

/** A short description of an exit, for state reasons and messages. */
export function describeExit(exit: ExitInfo | undefined): string {
  if (exit === undefined) return 'no exit was observed';
  return exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
}
