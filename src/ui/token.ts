// Where the page keeps the dashboard's token: sessionStorage, which is per origin (port
// included) and per tab, so no other server on 127.0.0.1 can read it. A cookie would be sent
// to every port of 127.0.0.1 (see control/dashboard-guard.ts).
const KEY = 'procwire-token';

/** The header every API request carries the token in (control/dashboard-guard.ts, TOKEN_HEADER). */
export const TOKEN_HEADER = 'x-procwire-token';

/**
 * Moves the token from the page's address (the URL procwire run --ui printed) into
 * sessionStorage, and out of the address bar and the history. Returns the token the page has,
 * from its address or from an earlier load in this tab, or undefined when it has none.
 */
export function takeToken(): string | undefined {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given !== null) {
    sessionStorage.setItem(KEY, given);
    url.searchParams.delete('token');
    history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  }
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** The token for a request (what takeToken kept), or '' when there is none. */
export function token(): string {
  return sessionStorage.getItem(KEY) ?? '';
}
