import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAuth, checkHost, makeSecrets, sameSecret, type DashboardSecrets } from './dashboard-guard.js';
import type { ControlHandler } from './handler.js';
import { HttpError, sendError } from './http-error.js';
import { loadPage, type Page } from './page-assets.js';

/** Options of {@link serveDashboard}. */
export interface DashboardOptions {
  /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Where the built page is (index.html, app.js, app.css). Default: the package's dist/ui. */
  assetsDir?: string;
}

/** A dashboard being served. */
export interface Dashboard {
  /** The URL to open, with the token: `http://127.0.0.1:<port>/?token=<token>`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

// The page runs only its own script and talks only to its own origin; nothing may frame it.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/**
 * Serves the dashboard page and `api` (the control handler) on 127.0.0.1 only. Every request
 * must name the server as `127.0.0.1:<port>` or `localhost:<port>` in its Host (DNS
 * rebinding). The page and its files hold no secret and need no token; every API request
 * needs the token of the URL (see checkAuth: a header, never a cookie), 401 without. No CORS
 * header is ever sent.
 */
export async function serveDashboard(api: ControlHandler, options: DashboardOptions = {}): Promise<Dashboard> {
  const page = await loadPage(options.assetsDir);
  const secrets = makeSecrets();
  let port = 0;
  const server = createServer((req, res) => {
    try {
      serve(req, res, port, secrets, page, api);
    } catch (error) {
      sendError(res, error);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${secrets.token}`,
    port,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  secrets: DashboardSecrets,
  page: Page,
  api: ControlHandler,
): void {
  checkHost(req, port);
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  if (url.pathname.startsWith('/api/')) {
    checkAuth(req, url, secrets);
    api(req, res);
    return;
  }
  // The page takes the token from its address into sessionStorage and out of the address bar
  // (src/ui/token.ts). A wrong one is said at once rather than by every request of the page.
  const token = url.searchParams.get('token');
  if (token !== null && !sameSecret(token, secrets.token)) {
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      "that is not this dashboard's token: open the URL procwire run --ui printed",
    );
  }
  const asset = page.assets.get(url.pathname === '/' ? '/index.html' : url.pathname);
  if (asset === undefined) throw new HttpError(404, 'NOT_FOUND', `no such page: ${url.pathname}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`, { allow: 'GET' });
  }
  res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, ...PAGE_HEADERS });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
