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
  /**
   * Windows only, when procwire could end the child but not reach its descendants (no working
   * `taskkill /T` and no process listing): processes the child started may still run.
   */
  descendants?: 'may-survive';
}
