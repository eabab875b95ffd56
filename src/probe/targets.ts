import type { PortInfo } from '../protocol/index.js';
import { quote } from '../options/duration.js';
import { expectInteger, expectObject, expectString, rejectUnknownKeys } from '../options/fields.js';
import { checkHttp, checkTcp, type CheckResult } from './checks.js';
import { probeHost } from './loopback.js';
import { describePortRef, lookUpPort, parsePortRef, type PortContext, type PortRef } from './port-ref.js';

/** A TCP probe: a connection to the port opens. */
export interface TcpTarget {
  port: PortRef;
}

/** An HTTP probe: a GET of `path` at the port (or of `url`) answers with `status` (200-399 by default). */
export interface HttpTarget {
  port: PortRef | undefined;
  url: URL | undefined;
  path: string;
  status: number | undefined;
}

/** `{ tcp: portOrName }`'s value. */
export function parseTcpTarget(field: string, value: unknown, ports: PortContext): TcpTarget {
  return { port: parsePortRef(field, value, ports) };
}

/**
 * `{ port | url, path?, status? }`. A `url` is the user's own (http or https, any host, used as
 * written); a port's host is the one it was reported with, and must be loopback.
 */
export function parseHttpTarget(field: string, value: unknown, ports: PortContext): HttpTarget {
  const spec = expectObject(field, value);
  rejectUnknownKeys(field, spec, ['port', 'url', 'path', 'status']);
  if ((spec.port === undefined) === (spec.url === undefined))
    throw new TypeError(`${field} needs exactly one of port and url; got ${quote(value)}`);
  const path = spec.path === undefined ? '/' : expectString(`${field}.path`, spec.path);
  if (!/^\/(?!\/)[^\s#\\]*$/.test(path) || path.length > 2048)
    throw new TypeError(`${field}.path must start with one / and have no spaces, # or \\; got ${quote(path)}`);
  const status = spec.status === undefined ? undefined : expectInteger(`${field}.status`, spec.status, 100, 599);
  if (spec.port !== undefined)
    return { port: parsePortRef(`${field}.port`, spec.port, ports), url: undefined, path, status };
  if (spec.path !== undefined) throw new TypeError(`${field}.path goes with port; put the path in url`);
  let url: URL;
  try {
    url = new URL(expectString(`${field}.url`, spec.url));
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith(field)) throw error;
    throw new TypeError(`${field}.url must be an absolute http or https URL; got ${quote(spec.url)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '')
    throw new TypeError(`${field}.url must be an http or https URL without credentials; got ${quote(spec.url)}`);
  return { port: undefined, url, path, status };
}

/** One attempt of a TCP probe against the child's ports now. */
export function attemptTcp(
  target: TcpTarget,
  ports: ReadonlyMap<string, PortInfo>,
  timeoutMs: number,
): Promise<CheckResult> {
  const where = resolveHost(target.port, ports);
  if ('missing' in where) return Promise.resolve({ ok: false, detail: where.missing, pending: where.pending });
  return checkTcp(where.host, where.port, timeoutMs);
}

/** One attempt of an HTTP probe against the child's ports now. */
export function attemptHttp(
  target: HttpTarget,
  ports: ReadonlyMap<string, PortInfo>,
  timeoutMs: number,
): Promise<CheckResult> {
  if (target.url !== undefined) return checkHttp(target.url, target.status, timeoutMs);
  const where = resolveHost(target.port as PortRef, ports);
  if ('missing' in where) return Promise.resolve({ ok: false, detail: where.missing, pending: where.pending });
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  return checkHttp(new URL(`http://${host}:${where.port}${target.path}`), target.status, timeoutMs);
}

/** How a probe is named in messages. */
export function describeTcp(target: TcpTarget): string {
  return `a TCP connection to ${describePortRef(target.port)}`;
}

export function describeHttp(target: HttpTarget): string {
  const what = target.url?.href ?? `${target.path} on ${describePortRef(target.port as PortRef)}`;
  return `GET ${what} to answer ${target.status ?? '200-399'}`;
}

function resolveHost(
  ref: PortRef,
  ports: ReadonlyMap<string, PortInfo>,
): { host: string; port: number } | { missing: string; pending: boolean } {
  const port = lookUpPort(ref, ports);
  if (port === undefined) return { missing: `${describePortRef(ref)} is not reported yet`, pending: true };
  const host = probeHost(port.host);
  if (host === undefined)
    return {
      missing: `${describePortRef(ref)} is on ${JSON.stringify(port.host.slice(0, 100))}, not a loopback address`,
      pending: false,
    };
  return { host, port: port.port };
}
