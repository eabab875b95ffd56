import { isHostAddress, isLoopback } from '../probe/index.js';
import type { PortInfo } from '../protocol/index.js';
import { bracketIPv6 } from './format.js';
import { escapeControls } from './sanitize-text.js';

// The child chooses the host string of the port it reports. Pasted into a URL it could aim
// the probe at any path (`127.0.0.1:8080/admin?x=`), carry credentials (`user@host`) or name
// another machine; so the host must be exactly an address, and by default a loopback one.

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
  if (!isHostAddress(port.host))
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
