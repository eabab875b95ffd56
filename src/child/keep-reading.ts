/** What a look at a dead process's connection sees, one grace period after the last look. */
export interface DrainLook {
  /** Reading is paused now by our own backpressure. */
  behind: boolean;
  /** It was paused at the last look. */
  wasBehind: boolean;
  /** Bytes were read since the last look. */
  progressed: boolean;
  /** The whole wait's limit has passed. */
  pastLimit: boolean;
}

/**
 * Whether to go on reading a dead process's socket (ChildConnection.closeWhenDrained) rather
 * than close it. Its own end is closed, so what it wrote before it died is bounded and ends in
 * an end of file; only something else (a grandchild) can hold the socket open, and that shows
 * as a grace period with nothing read while nothing was held back. A pause of our own that
 * has just lifted counts as held back: the next read may not have been made yet.
 */
export function keepReading(look: DrainLook): boolean {
  return !look.pastLimit && (look.behind || look.wasBehind || look.progressed);
}
