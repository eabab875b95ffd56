import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-spawn secret: 32 random bytes as hex. */
export function makeToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Compares a presented token to the expected one in constant time. Both sides are hashed
 * first so that inputs of different lengths take the same path as equal-length ones.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
