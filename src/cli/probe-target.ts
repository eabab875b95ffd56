import { isIP } from 'node:net';
import type { PortInfo } from '../protocol/index.js';
import { bracketIPv6 } from './format.js';
import { escapeControls } from './sanitize-text.js';

// The child chooses the host string of the port it reports. Pasted into a URL it could aim
// the probe at any path (`127.0.0.1:8080/admin?x=`), carry credentials (`user@host`) or name
// another machine; so the host must be exactly an address, and by default a loopback one.

/** RFC 1123 labels (and `_`, which container service names use), dot-separated, 253 at most. */
const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** What the probe should GET, or why it will not probe this port. */
export type ProbeTarget = { url: URL } | { refused: string };

/**
 * The URL of `/` at a reported http(s) port, built with `new URL` from a host that is an IP
 * literal (IPv6 bare or in brackets; bracketed in the URL) or a host name: never a string with
 * `/ ? # @ :`, spaces or controls. Unless `anyHost`, only loopback is probed: 127.0.0.0/8,
 * ::1 (and IPv4-mapped 127.x), `localhost`, and the unspecified 0.0.0.0 and ::, which reach
 * this host. `refused` says why not, for the user.
 */
export function resolveProbeTarget(port: PortInfo, anyHost: boolean): ProbeTarget {
  if (port.protocol !== 'http' && port.protocol !== 'https')
    return { refused: `not probed: only http and https ports are probed` };
  const bracketed = /^\[.*\]$/.test(port.host);
  const host = bracketed ? port.host.slice(1, -1) : port.host;
  const family = isIP(host);
  const valid = bracketed
    ? family === 6 && !host.includes('%')
    : family === 4 || (family === 6 && !host.includes('%')) || (host.length <= 253 && HOSTNAME.test(host));
  if (!valid)
    return { refused: `not probed: the host "${escapeControls(port.host)}" is not an IP address or a host name` };
  let url: URL;
  try {
    url = new URL(`${port.protocol}://${bracketIPv6(host)}:${port.port}/`);
  } catch {
    return { refused: `not probed: "${escapeControls(port.host)}" with port ${port.port} does not make a valid URL` };
  }
  // Validation above makes these hold; checked again because the URL is what is sent.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return { refused: `not probed: the host "${escapeControls(port.host)}" changes the URL's path` };
  }
  if (!anyHost && !isLoopback(url.hostname)) {
    return {
      refused: `not probed: ${escapeControls(port.host)} is not a loopback address (pass --probe-any-host to probe it)`,
    };
  }
  return { url };
}

/** On a URL's canonical hostname: IPv4 dotted, IPv6 compressed in brackets, names lower-case. */
function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '0.0.0.0' || hostname === '[::]' || hostname === '[::1]') return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  // IPv4-mapped 127.0.0.0/8, as the URL parser writes it: [::ffff:7f00:1].
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname);
}
