import type { PortInfo } from '../protocol/index.js';
import { quote } from '../options/duration.js';

/** Where the ports a probe may name come from, from the spec. */
export interface PortContext {
  /** The child reports ports through the SDK (`connect: 'required'`): any name may come. */
  sdk: boolean;
  /** The OS finds ports (`ports: 'auto'`), named by these and then `port-<n>`. */
  os: boolean;
  names: readonly string[];
}

/** A port given by number (on loopback) or by the name a child reports it under. */
export type PortRef = { number: number } | { name: string };

/**
 * Checks a probe's port: a number 1-65535, or a name the child can have. A name no source can
 * ever give (a child with no SDK, under `ports: 'off'`, or a name that is neither in
 * `portNames` nor `port-<n>`) is a TypeError naming the field, not a probe that times out.
 */
export function parsePortRef(field: string, value: unknown, ports: PortContext): PortRef {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new TypeError(`${field} must be a port number 1-65535 or a port name; got ${quote(value)}`);
    return { number: value };
  }
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`${field} must be a port number 1-65535 or a port name; got ${quote(value)}`);
  if (ports.sdk) return { name: value };
  if (!ports.os) {
    throw new TypeError(
      `${field} names port ${quote(value)}, but this child reports no ports (connect: 'none' with ports: 'off'); ` +
        "use a port number or set ports: 'auto'",
    );
  }
  if (!ports.names.includes(value) && !/^port-[1-9][0-9]*$/.test(value)) {
    const known = [...ports.names.map((name) => `'${name}'`), "'port-1', 'port-2', …"].join(', ');
    throw new TypeError(`${field} names unknown port ${quote(value)}: ports found by the OS are named ${known}`);
  }
  return { name: value };
}

/** The port a reference means now, or undefined while a named one is not reported. */
export function lookUpPort(ref: PortRef, ports: ReadonlyMap<string, PortInfo>): PortInfo | undefined {
  if ('number' in ref) return { name: String(ref.number), port: ref.number, host: '127.0.0.1' };
  return ports.get(ref.name);
}

/** How a reference is named in messages. */
export function describePortRef(ref: PortRef): string {
  return 'number' in ref ? `port ${ref.number}` : `port "${ref.name}"`;
}
