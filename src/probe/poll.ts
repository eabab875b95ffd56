import type { CheckResult } from './checks.js';

/** First wait between attempts; it grows by POLL_FACTOR up to POLL_MAX_MS. */
export const POLL_INITIAL_MS = 50;
export const POLL_FACTOR = 1.5;
export const POLL_MAX_MS = 1000;

/**
 * Runs `attempt` until it passes, one at a time, waiting 50 ms, then 75, … up to 1 s between
 * attempts; `result` hears each outcome. Returns a function that stops it (an attempt in
 * flight is let finish and ignored).
 */
export function pollUntilPass(
  attempt: () => Promise<CheckResult>,
  result: (outcome: CheckResult) => void,
  passed: () => void,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = POLL_INITIAL_MS;
  const next = async (): Promise<void> => {
    if (stopped) return;
    const outcome = await attempt();
    if (stopped) return;
    result(outcome);
    if (outcome.ok) return passed();
    timer = setTimeout(() => void next(), delay);
    delay = Math.min(POLL_MAX_MS, delay * POLL_FACTOR);
  };
  void next();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
