import t from 'tap';
import { createControlHandler, serveDashboard } from '../../src/index.js';
import { CSRF_HEADER } from '../../src/control/index.js';
import { nodeSpec, startSupervisor } from '../helpers/index.js';
import { call } from './control-helpers.js';

// One dashboard for every check: each is a request, and none changes what the others see
// except the restart, which comes last.
t.test('the dashboard refuses what is not its own page from its own origin', async (t) => {
  const sup = await startSupervisor(t);
  await sup.spawn(nodeSpec('web', 'reports-http-port.cjs'));
  const api = createControlHandler(sup);
  const dashboard = await serveDashboard(api);
  t.teardown(async () => {
    api.close();
    await dashboard.close();
  });
  const { port } = dashboard;
  const host = `127.0.0.1:${port}`;
  const address = dashboard.server.address();
  t.match(address, { address: '127.0.0.1', port }, 'it listens on loopback only');
  const token = new URL(dashboard.url).searchParams.get('token') as string;
  t.match(token, /^[0-9a-f]{64}$/, 'the URL carries a 256-bit token');

  // No token, or a wrong one: 401, for the page and the API alike.
  t.equal((await call(port, 'GET', '/')).status, 401, 'the page without the token');
  t.equal((await call(port, 'GET', '/api/children')).status, 401, 'the API without the token');
  t.equal((await call(port, 'GET', `/?token=${'0'.repeat(64)}`)).status, 401, 'a wrong token');

  // The token trades for a cookie the page's script cannot read, sent to this site only.
  const first = await call(port, 'GET', `/?token=${token}`, { headers: { host } });
  t.equal(first.status, 303);
  t.equal(first.headers.location, '/', 'the token leaves the address bar');
  const setCookie = first.headers['set-cookie']?.[0] ?? '';
  t.match(setCookie, new RegExp(`^procwire_${port}=${token}; `));
  t.match(setCookie, /; HttpOnly(;|$)/, 'HttpOnly');
  t.match(setCookie, /; SameSite=Strict(;|$)/, 'SameSite=Strict');
  const cookie = `procwire_${port}=${token}`;

  const page = await call(port, 'GET', '/', { headers: { host, cookie } });
  t.equal(page.status, 200);
  t.match(page.headers['content-security-policy'], /default-src 'none'; script-src 'self'/);
  t.equal(page.headers['x-frame-options'], 'DENY');
  const csrf = /<meta name="procwire-csrf" content="([0-9a-f]{64})"/.exec(page.body)?.[1];
  t.ok(csrf, 'the page carries its CSRF token');
  t.equal((await call(port, 'GET', '/app.js', { headers: { host, cookie } })).status, 200, 'its script');
  t.equal((await call(port, 'GET', '/api/children', { headers: { host, cookie } })).status, 200, 'the API');
  t.equal((await call(port, 'GET', '/api/children', { headers: { host: `localhost:${port}`, cookie } })).status, 200);

  // DNS rebinding: another name (or port) that resolves here is refused even with the cookie.
  for (const wrong of [
    `evil.example:${port}`,
    '127.0.0.1',
    `127.0.0.1:${port + 1}`,
    `localhost.evil.example:${port}`,
  ]) {
    const answer = await call(port, 'GET', '/api/children', { headers: { host: wrong, cookie } });
    t.equal(answer.status, 403, `Host ${wrong} is refused`);
    t.equal(answer.body.error.code, 'FORBIDDEN');
  }

  // No CORS: a preflight gets nothing that would let another origin read or post.
  const preflight = await call(port, 'OPTIONS', '/api/children/web/restart', {
    headers: { host, cookie, origin: 'http://evil.example', 'access-control-request-method': 'POST' },
  });
  t.notOk(
    Object.keys(preflight.headers).some((name) => name.startsWith('access-control-')),
    'no access-control-* header',
  );

  // CSRF: a POST with the cookie but without the page's header (a cross-site form) is refused.
  const pid = sup.get('web')?.pid;
  const forged = await call(port, 'POST', '/api/children/web/restart', { headers: { host, cookie } });
  t.equal(forged.status, 403, 'a POST without the CSRF header');
  const wrongCsrf = await call(port, 'POST', '/api/children/web/restart', {
    headers: { host, cookie, [CSRF_HEADER]: '0'.repeat(64) },
  });
  t.equal(wrongCsrf.status, 403, 'a POST with a wrong CSRF header');
  t.equal(sup.get('web')?.pid, pid, 'neither restarted anything');
  const restarted = await call(port, 'POST', '/api/children/web/restart', {
    headers: { host, cookie, [CSRF_HEADER]: csrf as string },
  });
  t.equal(restarted.status, 200, 'the page’s own POST');
  t.not(restarted.body.child.pid, pid, 'restarted');
});

t.test('a port someone else holds is an error, not a dashboard elsewhere', async (t) => {
  const sup = await startSupervisor(t);
  const api = createControlHandler(sup);
  const first = await serveDashboard(api);
  t.teardown(async () => {
    api.close();
    await first.close();
  });
  await t.rejects(serveDashboard(api, { port: first.port }), { code: 'EADDRINUSE' });
});
