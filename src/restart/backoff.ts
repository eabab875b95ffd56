/** Exponential backoff between restarts. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0-1: the delay is spread by up to this fraction either way, so restarts do not align. */
  jitter: number;
}

/**
 * The delay before a restart when `recent` restarts already happened inside the restart
 * window: `initial * factor^recent`, capped at `max`, then spread by the jitter (and
 * capped again, so `max` is a true ceiling). A child that has been stable for a whole
 * window therefore starts again from `initial`.
 */
export function backoffDelay(options: BackoffOptions, recent: number, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** recent);
  const spread = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(options.maxMs, Math.round(base + spread)));
}
