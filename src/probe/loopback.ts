import { isIP } from 'node:net';

/** RFC 1123 labels (and `_`, which container service names use), dot-separated, 253 at most. */
const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/**
 * Whether `host` (as a child reported it: an IPv6 literal bare or in brackets) is exactly an
 * address or a host name: never a string with `/ ? # @ :`, spaces or controls that could turn
 * a probe's URL into another one. Zone ids (`%eth0`) are refused.
 */
export function isHostAddress(host: string): boolean {
  const bracketed = /^\[.*\]$/.test(host);
  const bare = bracketed ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (bracketed) return family === 6 && !bare.includes('%');
  return family === 4 || (family === 6 && !bare.includes('%')) || (bare.length <= 253 && HOSTNAME.test(bare));
}

/**
 * On a URL's canonical hostname (IPv4 dotted, IPv6 compressed in brackets, names lower-case):
 * 127.0.0.0/8, [::1] and IPv4-mapped 127.x, `localhost`, and the unspecified 0.0.0.0 and [::],
 * which reach this host.
 */
export function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '0.0.0.0' || hostname === '[::]' || hostname === '[::1]') return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  // IPv4-mapped 127.0.0.0/8, as the URL parser writes it: [::ffff:7f00:1].
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname);
}

/**
 * The host a probe connects to for a port a child reported or the OS found: its own host when
 * that is a loopback address or name, else undefined (probes stay on this machine).
 */
export function probeHost(host: string): string | undefined {
  if (!isHostAddress(host)) return undefined;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const canonical = isIP(bare) === 6 ? `[${bare}]` : bare.toLowerCase();
  if (!isLoopback(canonical)) return undefined;
  if (bare === '0.0.0.0') return '127.0.0.1';
  if (bare === '::') return '::1';
  return bare;
}
