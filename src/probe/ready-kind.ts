import type { PortInfo } from '../protocol/index.js';
import type { PortContext } from './port-ref.js';
import type { SwitchedOff } from '../options/guarded-exec.js';

/** Which stream an output line came from. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * What one run offers to wait on. The child's lifecycle builds it for each run; the probes
 * only subscribe, so they know nothing of processes or connections.
 */
export interface ReadySignals {
  /** Resolves when the run's connection says `procwire/ready` (never, for a run without one). */
  connectionReady: Promise<void>;
  /** Calls `listener` with each output line as matchers see it (cut, uncoloured); returns an unsubscribe. */
  onLine(listener: (line: string, stream: OutputStream) => void): () => void;
  /** Calls `listener` at the end of each watch cycle; returns an unsubscribe. */
  onCycleEnd(listener: () => void): () => void;
  /**
   * Calls `listener` once every background matcher of the run was switched off as too slow,
   * so that no cycle can end any more; returns an unsubscribe.
   */
  onCyclesOff(listener: () => void): () => void;
  /** The run's ports now, reported or discovered. */
  ports(): ReadonlyMap<string, PortInfo>;
  /** Calls `listener` with each port reported or discovered; returns an unsubscribe. */
  onPort(listener: (port: PortInfo) => void): () => void;
  /** Records what a probe saw last, for the READY_TIMEOUT message. */
  note(result: string): void;
  /** Logs a warning on the child (a `log` event), naming it; for what the user should fix. */
  warn(message: string): void;
  /** What the child's earlier runs switched off as too slow (see SwitchedOff); a condition may add itself. */
  switchedOff: SwitchedOff;
  /**
   * Ends the wait now with READY_TIMEOUT: what it waits for can no longer happen in this run,
   * and `reason` says why. Waiting out readyTimeout would only delay the same failure.
   */
  giveUp(reason: string): void;
}

/** What a spec tells the parse of `readyWhen` about the child. */
export interface ReadyContext {
  connect: 'required' | 'none';
  /** Whether some matcher has `background`, so there are watch cycles. */
  hasCycles: boolean;
  /** Which ports the child can have, for probes that name one. */
  ports: PortContext;
  readyTimeoutMs: number;
}

/**
 * One kind of readiness condition, in its own module: how its spec value is checked (a
 * TypeError naming the field and quoting the value), how it is waited on, and how it is named
 * in a READY_TIMEOUT message.
 */
export interface ReadyKind<C> {
  /** `value` is the spec's string, or its object (which has this kind's key). */
  parse(field: string, value: unknown, context: ReadyContext): C;
  /** Starts waiting; calls `ready` once the condition holds. Returns a function that stops waiting. */
  watch(condition: C, signals: ReadySignals, ready: () => void): () => void;
  /** What was waited for, for messages: "the first watch cycle to end". */
  describe(condition: C): string;
}
