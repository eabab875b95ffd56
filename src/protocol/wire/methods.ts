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
  portRemoved: 'procwire/port-removed',
  diagnostics: 'procwire/diagnostics',
  log: 'procwire/log',
  heartbeat: 'procwire/heartbeat',
  shutdown: 'procwire/shutdown',
  spawn: 'procwire/spawn',
  stop: 'procwire/stop',
} as const;

/**
 * What a parent takes beyond the first release of protocol 1, listed in its hello answer's
 * `features`: a child sends such a message only to a parent that lists it, since an older
 * parent closes the connection on a reserved method it does not know.
 */
export const Features = {
  /** `procwire/port-removed`. */
  portRemoved: 'port-removed',
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
