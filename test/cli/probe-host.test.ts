import t, { type Test } from 'tap';
import { createServer } from 'node:http';
import { networkInterfaces } from 'node:os';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { exitOf, fixture } from '../helpers/index.js';
import { runCli, writeConfig } from './run-cli.js';

// The http probe GETs `/` of a port a child reports. The child chooses the host string, so
// it must not be able to aim the GET at another path, or (by default) at another machine.

/** An HTTP server on every interface that records `Host path` of each request it gets. */
async function recordingServer(t: Test): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.headers.host} ${req.url}`);
    res.end('recorded');
  });
  // '::' also takes IPv4 on a dual-stack host, so one server answers every address below.
  server.listen(0, '::');
  await once(server, 'listening');
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as AddressInfo).port, requests };
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((info) => info !== undefined && info.family === 'IPv4' && !info.internal)?.address;
}

const reporter = (id: string, host: string, port: number) => ({
  id,
  command: process.execPath,
  args: [fixture('reports-port-host.cjs'), host, String(port)],
});

/** Runs the CLI until every child's probe line is printed; returns `address: answer` by child id. */
async function probeAnswers(
  t: Test,
  children: ReturnType<typeof reporter>[],
  extra: string[] = [],
): Promise<Map<string, string>> {
  const run = runCli(t, ['run', writeConfig(t, children), '--exit-after', '60s', ...extra]);
  const answers = new Map<string, string>();
  for (const child of children) {
    const [, line] = await run.waitFor(new RegExp(`^${child.id}\\s+\\| probe http (.*)$`));
    answers.set(child.id, line!);
  }
  run.proc.kill('SIGTERM');
  t.same(await exitOf(run.proc), { code: 0, signal: null }, run.stderr());
  return answers;
}

t.test('a host with a path, query, user or port in it is not probed, and the line says why', async (t) => {
  const server = await recordingServer(t);
  const p = server.port;
  const answers = await probeAnswers(t, [
    reporter('path', `127.0.0.1:${p}/admin?x=`, p),
    reporter('user', 'evil@127.0.0.1', p),
    reporter('fragment', `127.0.0.1:${p}#frag`, p),
    reporter('space', `127.0.0.1 :${p}`, p),
  ]);
  t.same(server.requests, [], 'the server got no request at all');
  for (const [id, answer] of answers) {
    t.match(answer, /: not probed: the host ".*" is not an IP address or a host name/, `${id}: ${answer}`);
  }
});

t.test('loopback hosts are probed at `/`, an IPv6 literal in brackets', async (t) => {
  const server = await recordingServer(t);
  const p = server.port;
  const answers = await probeAnswers(t, [
    reporter('v4', '127.0.0.1', p),
    reporter('v6', '::1', p),
    reporter('named', 'localhost', p),
  ]);
  t.equal(answers.get('v4'), `http://127.0.0.1:${p}: 200 OK`);
  t.equal(answers.get('v6'), `http://[::1]:${p}: 200 OK`);
  t.equal(answers.get('named'), `http://localhost:${p}: 200 OK`);
  t.same(
    server.requests.sort(),
    [`127.0.0.1:${p} /`, `[::1]:${p} /`, `localhost:${p} /`].sort(),
    'each loopback host got one GET of `/`, nothing else',
  );
});

const outside = outsideAddress();

t.test(
  'a non-loopback host is not probed, unless --probe-any-host',
  { skip: !outside && 'this machine has no non-loopback IPv4 address to report' },
  async (t) => {
    const server = await recordingServer(t);
    const p = server.port;
    const refused = await probeAnswers(t, [reporter('outside', outside!, p)]);
    t.equal(
      refused.get('outside'),
      `http://${outside}:${p}: not probed: ${outside} is not a loopback address (pass --probe-any-host to probe it)`,
    );
    t.same(server.requests, [], 'the server got no request');
    // The same host and server with the flag: the refusal above is the policy, not an unreachable address.
    const probed = await probeAnswers(t, [reporter('outside', outside!, p)], ['--probe-any-host']);
    t.equal(probed.get('outside'), `http://${outside}:${p}: 200 OK`);
    t.same(server.requests, [`${outside}:${p} /`]);
  },
);
