/** The protocol version both sides put in `procwire/hello`. */
export const PROTOCOL_VERSION = 1;

/**
 * Every method name procwire reserves; applications use any other name. Params and
 * results are the types in types.ts (docs/PROTOCOL.md has them all).
 */
export const Methods = {
  hello: 'procwire/hello',
  ready: 'procwire/ready',
  port: 'procwire/port',
  diagnostics: 'procwire/diagnostics',
  log: 'procwire/log',
  heartbeat: 'procwire/heartbeat',
  shutdown: 'procwire/shutdown',
  spawn: 'procwire/spawn',
  stop: 'procwire/stop',
} as const;

/** True for a method name in procwire's reserved `procwire/` namespace. */
export function isReservedMethod(method: string): boolean {
  return method.startsWith('procwire/');
}

/** Throws a TypeError unless `method` is a non-empty name outside the reserved namespace. */
export function checkAppMethod(method: string): void {
  if (typeof method !== 'string' || method.length === 0) {
    throw new TypeError(`method must be a non-empty string; got ${String(method)}`);
  }
  if (isReservedMethod(method)) {
    throw new TypeError(`"${method}" is reserved by procwire; use a name outside "procwire/"`);
  }
}
