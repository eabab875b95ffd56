import t from 'tap';
import { createControlHandler, serveDashboard } from '../../src/index.js';
import { TOKEN_HEADER } from '../../src/control/index.js';
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

  // The page holds no secret: served without the token, and never sets a cookie, which the
  // browser would send to every other server on 127.0.0.1.
  for (const path of ['/', `/?token=${token}`, '/app.js', '/app.css']) {
    const answer = await call(port, 'GET', path, { headers: { host } });
    t.equal(answer.status, 200, `GET ${path}`);
    t.notOk(answer.headers['set-cookie'], `GET ${path} sets no cookie`);
  }
  const page = await call(port, 'GET', '/', { headers: { host } });
  t.match(page.headers['content-security-policy'], /default-src 'none'; script-src 'self'/);
  t.equal(page.headers['x-frame-options'], 'DENY');
  t.notMatch(page.body, token, 'the page does not carry the token');
  const script = await call(port, 'GET', '/app.js', { headers: { host } });
  t.ok(
    String(script.body).includes(`'${TOKEN_HEADER}'`) || String(script.body).includes(`"${TOKEN_HEADER}"`),
    'the page sends the token in the header the server reads',
  );
  t.equal(
    (await call(port, 'GET', `/?token=${'0'.repeat(64)}`)).status,
    401,
    'a wrong token in the URL is said at once',
  );

  // The API: the token in the header, on every request; a cookie counts for nothing.
  const auth = { host, [TOKEN_HEADER]: token };
  const without = await call(port, 'GET', '/api/children', { headers: { host } });
  t.equal(without.status, 401, 'the API without the token');
  t.match(without.body.error.message, /open the URL that procwire run --ui printed/);
  t.equal(
    (await call(port, 'GET', '/api/children', { headers: { host, cookie: `procwire_${port}=${token}` } })).status,
    401,
    'nor with it in a cookie',
  );
  t.equal(
    (await call(port, 'GET', '/api/children', { headers: { host, [TOKEN_HEADER]: '0'.repeat(64) } })).status,
    401,
    'a wrong token',
  );
  t.equal(
    (await call(port, 'GET', `/api/children?token=${token}`, { headers: { host } })).status,
    401,
    'in the query only for the event stream',
  );
  // The event stream, which takes it in its query too, says which of the two it missed.
  const wrongInQuery = await call(port, 'GET', `/api/events?token=${'0'.repeat(64)}`, { headers: { host } });
  t.equal(wrongInQuery.status, 401);
  t.match(wrongInQuery.body.error.message, /^that is not this dashboard's token/, 'a wrong token in the query');
  const noneOnStream = await call(port, 'GET', '/api/events', { headers: { host } });
  t.match(
    noneOnStream.body.error.message,
    new RegExp(`needs its token in the ${TOKEN_HEADER} header or the token query parameter`),
    'none at all',
  );
  t.equal((await call(port, 'GET', '/api/children', { headers: auth })).status, 200, 'the API with the token');
  const local = { ...auth, host: `localhost:${port}` };
  t.equal((await call(port, 'GET', '/api/children', { headers: local })).status, 200, 'as localhost too');

  // DNS rebinding: another name (or port) that resolves here is refused even with the token.
  for (const wrong of [
    `evil.example:${port}`,
    '127.0.0.1',
    `127.0.0.1:${port + 1}`,
    `localhost.evil.example:${port}`,
  ]) {
    const answer = await call(port, 'GET', '/api/children', { headers: { ...auth, host: wrong } });
    t.equal(answer.status, 403, `Host ${wrong} is refused`);
    t.equal(answer.body.error.code, 'FORBIDDEN');
  }

  // No CORS: a preflight gets nothing that would let another origin read, or send the header.
  const preflight = await call(port, 'OPTIONS', '/api/children/web/restart', {
    headers: { host, origin: 'http://evil.example', 'access-control-request-method': 'POST' },
  });
  t.notOk(
    Object.keys(preflight.headers).some((name) => name.startsWith('access-control-')),
    'no access-control-* header',
  );

  // A POST without the token (a cross-site form can send no header) does nothing.
  const pid = sup.get('web')?.pid;
  const forged = await call(port, 'POST', '/api/children/web/restart', { headers: { host } });
  t.equal(forged.status, 401, 'a POST without the token');
  t.equal(sup.get('web')?.pid, pid, 'restarted nothing');
  const restarted = await call(port, 'POST', '/api/children/web/restart', { headers: auth });
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
