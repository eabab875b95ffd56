import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The secrets of one dashboard: the token in its URL (then a cookie) and the CSRF token POSTs carry. */
export interface DashboardSecrets {
  token: string;
  csrf: string;
}

/** The header every POST through the dashboard must carry, holding the page's CSRF token. */
export const CSRF_HEADER = 'x-procwire-csrf';

/** Fresh secrets: 32 random bytes each, hex. */
export function makeSecrets(): DashboardSecrets {
  return { token: randomBytes(32).toString('hex'), csrf: randomBytes(32).toString('hex') };
}

/** The cookie's name: per port, since browsers send a 127.0.0.1 cookie to every port of it. */
export function cookieName(port: number): string {
  return `procwire_${port}`;
}

/** True when `given` is `expected`, compared in constant time. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Refuses a request whose Host is not this server's own loopback name and port: a page on
 * another site that re-points its DNS name at 127.0.0.1 (DNS rebinding) sends its own name.
 */
export function checkHost(req: IncomingMessage, port: number): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host === `127.0.0.1:${port}` || host === `localhost:${port}`) return;
  throw new HttpError(
    403,
    'FORBIDDEN',
    `the Host ${JSON.stringify(host)} is refused: the dashboard answers only to 127.0.0.1:${port} or localhost:${port}`,
  );
}

/**
 * Refuses a request without the dashboard's cookie (401), and a POST without the CSRF header
 * (403): a cross-site form or fetch can make the browser send the cookie (not with
 * SameSite=Strict, but defence in depth) and never the header, which needs the page's token.
 */
export function checkAuth(req: IncomingMessage, port: number, secrets: DashboardSecrets): void {
  if (!sameSecret(readCookie(req.headers.cookie, cookieName(port)), secrets.token)) {
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      'the dashboard needs its token: open the URL that procwire run --ui printed (it sets a cookie)',
    );
  }
  if (req.method === 'GET' || req.method === 'HEAD') return;
  const header = req.headers[CSRF_HEADER];
  if (!sameSecret(Array.isArray(header) ? header[0] : header, secrets.csrf)) {
    throw new HttpError(403, 'FORBIDDEN', `a ${req.method} needs the page's ${CSRF_HEADER} header`);
  }
}
