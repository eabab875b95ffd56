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
}

/** What a spec tells the parse of `readyWhen` about the child. */
export interface ReadyContext {
  connect: 'required' | 'none';
  /** Whether some matcher has `background`, so there are watch cycles. */
  hasCycles: boolean;
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
