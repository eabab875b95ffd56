// The SDK's own checks of a call's arguments, made before anything is sent: what the parent
// would refuse closes the connection (a PROTOCOL_ERROR), and the child exits with it.

/** The log levels the parent takes. */
export const LOG_LEVELS: readonly string[] = ['error', 'warn', 'info', 'debug'];

/** Throws a TypeError naming a key of `value` that is not in `known`: a typo must not pass silently. */
export function checkKeys(field: string, value: unknown, known: readonly string[]): void {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${field} must be an object`);
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new TypeError(`${field} has an unknown option ${JSON.stringify(key)}; known options: ${known.join(', ')}`);
  }
}

/** A request's options: `timeout` in milliseconds (the SDK takes no '5s' strings), `signal` an AbortSignal. */
export function checkRequestOptions(method: string, options: unknown): void {
  const field = `options of "${method}"`;
  checkKeys(field, options, ['timeout', 'signal']);
  const { timeout, signal } = options as { timeout?: unknown; signal?: unknown };
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0)) {
    throw new TypeError(`${field}.timeout must be milliseconds, a non-negative number; got ${JSON.stringify(timeout)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new TypeError(`${field}.signal must be an AbortSignal`);
}
