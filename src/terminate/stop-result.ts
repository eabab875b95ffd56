/** How a process ended, as Node reported it. */
export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
}

/**
 * The outcome of a stop, published once. `clean`: it exited without a signal from us;
 * `escalated`: we sent the stop signal or SIGKILL; `indeterminate`: no exit was observed.
 */
export interface StopResult extends ExitInfo {
  termination: 'clean' | 'escalated' | 'indeterminate';
}
