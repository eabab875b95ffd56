import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The secret of one dashboard: the token in its URL, which every API request must carry. */
export interface DashboardSecrets {
  token: string;
}

/** The header the page sends its token in, on every API request but the event stream. */
export const TOKEN_HEADER = 'x-procwire-token';

/** A fresh secret: 32 random bytes, hex. */
export function makeSecrets(): DashboardSecrets {
  return { token: randomBytes(32).toString('hex') };
}

/** True when `given` is `expected`, compared in constant time. */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (given === undefined || given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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
 * Refuses an API request without the dashboard's token (401): in the `x-procwire-token`
 * header, or, for the event stream only (an EventSource cannot send headers), in its `token`
 * query parameter.
 *
 * Not a cookie: browsers send a cookie of 127.0.0.1 to every port of 127.0.0.1, so any local
 * server the browser visits (a child's dev server behind one of the page's own port links)
 * would receive it. The page keeps the token in sessionStorage, which is per origin, port
 * included. A header is also what stops a cross-site form: no other origin can set one on a
 * request here without a CORS preflight, which gets no `access-control-*` answer.
 */
export function checkAuth(req: IncomingMessage, url: URL, secrets: DashboardSecrets): void {
  const header = req.headers[TOKEN_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  const streamed = url.pathname === '/api/events' && req.method === 'GET';
  const presented = given ?? (streamed ? (url.searchParams.get('token') ?? undefined) : undefined);
  if (sameSecret(presented, secrets.token)) return;
  const where = streamed ? `${TOKEN_HEADER} header or the token query parameter` : `${TOKEN_HEADER} header`;
  throw new HttpError(
    401,
    'UNAUTHORIZED',
    presented === undefined
      ? `the dashboard's API needs its token in the ${where}: open the URL that procwire run --ui printed`
      : "that is not this dashboard's token: open the URL that procwire run --ui printed",
  );
}
