import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChildView, ControlHandlerOptions, MatcherSpec } from '../../src/index.js';
import { createControlHandler } from '../../src/index.js';
import { fixture, nodeSpec, startSupervisor, until } from '../helpers/index.js';
import { call, data, openEvents, serveControl, serveControlOf } from './control-helpers.js';

// One supervisor and its children for the whole file (spawning is most of a test's time on a
// loaded machine); the subtests run one after another, and each leaves web running.
const shared = await serveControl(t, { configured: ['web', 'logs', 'tsc', 'later'] });
const { sup } = shared;
await Promise.all([
  sup.spawn(nodeSpec('web', 'reports-http-port.cjs')),
  sup.spawn(nodeSpec('logs', 'logs-and-prints.cjs')),
  sup.spawn(nodeSpec('tsc', 'publishes-diagnostics.cjs')),
]);

/** Another handler over the shared supervisor, with its own options, on its own socket. */
async function another(t: Test, options: ControlHandlerOptions): Promise<string> {
  return (await serveControlOf(t, sup, options)).path;
}

t.test('GET /api/children lists spawned children and configured ones not spawned yet', async (t) => {
  const { path } = shared;
  const { status, headers, body } = await call(path, 'GET', '/api/children');
  t.equal(status, 200);
  t.match(headers['content-type'], /^application\/json/);
  t.same(
    body.children.map((c: any) => [c.id, c.state]),
    [
      ['web', 'running'],
      ['logs', 'running'],
      ['tsc', 'running'],
      ['later', 'pending'],
    ],
  );
  const web = body.children[0];
  t.equal(web.pid, sup.get('web')?.pid, 'the pid is the child’s');
  t.match(web.ports, [{ name: 'http', host: '127.0.0.1', protocol: 'http' }]);
  t.equal(web.restarts, 0);
  t.ok(web.uptimeMs >= 0 && typeof web.startedAt === 'string');
  const one = (await call(path, 'GET', '/api/children/web')).body;
  // The uptime moves on between the two calls.
  t.same({ ...one, uptimeMs: 0 }, { ...web, uptimeMs: 0 }, 'GET /api/children/:id is the same view');
});

t.test('POST restart answers when the child is ready again, with a new pid', async (t) => {
  const { path } = shared;
  const web = sup.get('web')!;
  const before = web.pid;
  const { status, body } = await call(path, 'POST', '/api/children/web/restart');
  t.equal(status, 200);
  t.equal(body.child.state, 'running');
  t.not(body.child.pid, before, 'another process');
  t.equal(body.child.pid, web.pid);
  const stopped = await call(path, 'POST', '/api/children/web/stop');
  t.equal(stopped.body.child.state, 'stopped');
  t.match(stopped.body.result, { termination: 'clean', exitCode: 0 });
  const started = await call(path, 'POST', '/api/children/web/start?wait=false');
  t.equal(started.status, 202, 'wait=false answers at once');
  await until(() => web.state.kind === 'running', 20_000, 'web to run again');
});

t.test('GET logs?tail=N gives the last lines of stdout, stderr and logs, oldest first', async (t) => {
  const { path } = shared;
  const all = await call(path, 'GET', '/api/children/logs/logs');
  t.same(
    all.body.lines.map((l: any) => [l.stream, l.level, l.text]),
    [
      ['stdout', undefined, 'out one'],
      ['stdout', undefined, 'out two'],
      ['stderr', undefined, 'err one'],
      ['log', 'info', 'compiling 3 files'],
      ['log', 'warn', 'deprecated option'],
    ],
  );
  const seqs = all.body.lines.map((l: any) => l.seq);
  t.same(
    seqs,
    [...seqs].sort((a: number, b: number) => a - b),
    'in order',
  );
  t.match(all.body.lastEventId, /^[0-9a-f]{8}:\d+$/);
  const two = await call(path, 'GET', '/api/children/logs/logs?tail=2');
  t.same(
    two.body.lines.map((l: any) => l.text),
    ['compiling 3 files', 'deprecated option'],
  );
  t.equal((await call(path, 'GET', '/api/children/logs/logs?tail=x')).status, 400, 'a bad tail is refused');
});

t.test('the ring keeps only the last linesPerChild lines of a child', async (t) => {
  const path = await another(t, { linesPerChild: 3 });
  // Lines from now on: the old run's last (unterminated) line, then the new run's five.
  await sup.get('logs')?.restart();
  const { body } = await call(path, 'GET', '/api/children/logs/logs?tail=100');
  t.same(
    body.lines.map((l: any) => l.text),
    ['err one', 'compiling 3 files', 'deprecated option'],
  );
});

t.test('GET /api/diagnostics gives every file of every child, with totals; ?child= one', async (t) => {
  const { path } = shared;
  const { body } = await call(path, 'GET', '/api/diagnostics');
  t.equal(body.errors, 2);
  t.equal(body.warnings, 1);
  t.same(
    body.files.map((f: any) => [f.child, f.file, f.diagnostics.length]),
    [
      ['tsc', '/src/tsc/a.ts', 2],
      ['tsc', '/src/tsc/b.ts', 1],
    ],
  );
  t.equal((await call(path, 'GET', '/api/diagnostics?child=web')).body.files.length, 0);
  t.equal((await call(path, 'GET', '/api/diagnostics?child=nope')).status, 404);
});

t.test('the event stream starts with a snapshot and delivers a state change within 50 ms', async (t) => {
  const { path } = shared;
  const web = sup.get('web')!;
  const events = await openEvents(t, path, 'child=web');
  t.equal(events.status, 200);
  const snapshot = await events.next('the snapshot', (m) => m.event === 'snapshot');
  t.same(
    data(snapshot).children.map((c: any) => c.state),
    ['running'],
  );
  // Each state change is stamped as the child emits it and compared with its arrival; the
  // median of a restart's changes keeps one descheduling of a loaded machine from deciding.
  // The two `starting` changes are left out: the spawn between them holds this process's
  // loop (a fork takes tens of ms on a loaded machine), which no stream can deliver around.
  const emitted: { state: string; at: number }[] = [];
  web.on('state', (state) => emitted.push({ state: state.kind, at: performance.now() }));
  await web.restart();
  await until(() => events.messages.filter((m) => m.event === 'state').length >= emitted.length, 20_000, 'all states');
  const arrived = events.messages.filter((m) => m.event === 'state').map((m) => m.at);
  const delays = emitted
    .map(({ state, at }, i) => ({ state, delay: (arrived[i] as number) - at }))
    .filter(({ state }) => state !== 'starting')
    .map(({ delay }) => delay)
    .sort((a, b) => a - b);
  t.equal(delays.length, 3, 'stopping, stopped and running are timed');
  const median = delays[1] as number;
  t.ok(median < 50, `median delay ${median.toFixed(1)} ms (all: ${delays.map((d) => d.toFixed(1)).join(', ')})`);
  t.same(
    events.messages.filter((m) => m.event === 'state').map((m) => data(m).child.state),
    ['stopping', 'stopped', 'starting', 'starting', 'running'],
  );
});

t.test('a stream resumed with Last-Event-ID gets exactly the events it missed, without a snapshot', async (t) => {
  const { path } = shared;
  const web = sup.get('web')!;
  const first = await openEvents(t, path, 'child=web&types=snapshot,state');
  const snapshot = await first.next('the snapshot', (m) => m.event === 'snapshot');
  first.close();
  await web.restart();
  const resumed = await openEvents(t, path, 'child=web&types=snapshot,state', {
    'last-event-id': snapshot.id as string,
  });
  await resumed.next('the last state', (m) => m.event === 'state' && data(m).child.state === 'running');
  t.same(
    resumed.messages.map((m) => [m.event, data(m).child?.state]),
    [
      ['state', 'stopping'],
      ['state', 'stopped'],
      ['state', 'starting'],
      ['state', 'starting'],
      ['state', 'running'],
    ],
    'the missed changes, in order, and no snapshot',
  );
  const ids = resumed.messages.map((m) => Number(m.id?.split(':')[1]));
  t.ok(
    ids.every((id, i) => i === 0 || id > (ids[i - 1] as number)),
    'ids increase',
  );
  const stale = await openEvents(t, path, 'types=snapshot,state', { 'last-event-id': '00000000:1' });
  const again = await stale.next('a snapshot', () => true);
  t.equal(again.event, 'snapshot', 'an id of another run gets a fresh snapshot');
});

t.test('a resume older than the backlog gets a snapshot instead of a gap', async (t) => {
  const path = await another(t, { backlog: 3 });
  const web = sup.get('web')!;
  const first = await openEvents(t, path);
  const snapshot = await first.next('the snapshot', (m) => m.event === 'snapshot');
  first.close();
  await web.restart();
  const resumed = await openEvents(t, path, '', { 'last-event-id': snapshot.id as string });
  t.equal((await resumed.next('the first message', () => true)).event, 'snapshot');
});

t.test('bad requests: unknown child 404, unknown route 404, wrong method 405, all JSON with a code', async (t) => {
  const { path } = shared;
  const cases: [string, string, number, string][] = [
    ['GET', '/api/children/nope', 404, 'UNKNOWN_CHILD'],
    ['GET', '/api/children/nope/logs', 404, 'UNKNOWN_CHILD'],
    ['POST', '/api/children/nope/restart', 404, 'UNKNOWN_CHILD'],
    ['GET', '/api/events?child=nope', 404, 'UNKNOWN_CHILD'],
    ['GET', '/api/events?types=bogus', 400, 'BAD_REQUEST'],
    ['GET', '/api/nothing', 404, 'NOT_FOUND'],
    ['GET', '/', 404, 'NOT_FOUND'],
    ['POST', '/api/children/web/explode', 404, 'NOT_FOUND'],
    ['GET', '/api/children/web/restart', 405, 'METHOD_NOT_ALLOWED'],
    ['DELETE', '/api/children', 405, 'METHOD_NOT_ALLOWED'],
    ['GET', '/api/children/%E0%A4%A', 400, 'BAD_REQUEST'],
  ];
  for (const [method, route, status, code] of cases) {
    const answer = await call(path, method, route);
    t.equal(answer.status, status, `${method} ${route}`);
    t.equal(answer.body.error?.code, code, `${method} ${route}: ${answer.body.error?.message}`);
  }
  t.equal((await call(path, 'GET', '/api/children/web/restart')).headers.allow, 'POST');
});

t.test('a control that fails answers with the ProcwireError code and a fitting status', async (t) => {
  const { path } = shared;
  const marker = join(mkdtempSync(join(tmpdir(), 'procwire-once-')), 'ran');
  t.teardown(() => rmSync(dirname(marker), { recursive: true, force: true }));
  await sup.spawn({
    id: 'once',
    command: process.execPath,
    args: [fixture('ready-once.cjs'), marker],
    restart: 'never',
  });
  t.equal((await call(path, 'POST', '/api/children/once/stop')).status, 200);
  const answer = await call(path, 'POST', '/api/children/once/start');
  t.equal(answer.status, 502, 'a child that fails to start is a bad gateway');
  t.match(answer.body.error, { code: 'EXITED_BEFORE_READY', message: /once/ });
});

t.test('a request body over the cap is refused with 413 before it is read', async (t) => {
  const path = await another(t, { maxBodyBytes: 1024 });
  const pid = sup.get('web')?.pid;
  const declared = await call(path, 'POST', '/api/children/web/restart', {
    headers: { 'content-length': String(1024 ** 3) },
    body: 'x'.repeat(10),
  }).catch((error: Error) => ({ status: 0, body: { error: { code: error.message } }, headers: {} }));
  t.equal(declared.status, 413, 'a declared gigabyte');
  t.equal(declared.body.error.code, 'BODY_TOO_LARGE');
  // Chunked: no length is declared, so the cap is found while reading.
  const chunked = await call(path, 'POST', '/api/children/web/restart', {
    headers: { 'transfer-encoding': 'chunked' },
    body: Buffer.alloc(64 * 1024),
  });
  t.equal(chunked.status, 413, 'a body that turns out larger');
  t.equal(sup.get('web')?.pid, pid, 'nothing was done');
});

t.test(
  'a handler made after a first cycle shows it; a child whose matchers have no background has no cycle',
  async (t) => {
    const sup = await startSupervisor(t);
    const pattern = { regexp: '^(\\S+):(\\d+): (.*)$', file: 1, line: 2, message: 3 };
    const printer = (id: string, block: string[], matcher: MatcherSpec) =>
      nodeSpec(id, 'prints-on-signal.cjs', { args: [JSON.stringify([block])], connect: 'none', matchers: [matcher] });
    await sup.spawn({
      ...printer('watch', ['begin', 'a.x:1: one', 'done'], {
        pattern,
        background: { activeOnStart: false, beginsPattern: '^begin$', endsPattern: '^done$' },
      }),
      readyWhen: 'cycle',
    });
    await sup.spawn(printer('once', ['b.x:1: two'], { pattern }));
    // Only now, as an embedder that serves an API over a supervisor already running would.
    const { path } = await serveControlOf(t, sup);
    const { body } = await call(path, 'GET', '/api/children');
    const byId = Object.fromEntries(body.children.map((child: ChildView) => [child.id, child]));
    t.match(byId.watch?.cycle, { phase: 'end', errors: 1, warnings: 0, files: 1 }, "the watcher's last cycle");
    t.notOk('cycle' in (byId.once ?? {}), 'the one-shot tool has no cycle to show');
  },
);

t.test('bad handler options are a TypeError naming the field', async (t) => {
  const sup = await startSupervisor(t);
  for (const field of ['onAction', 'respawn']) {
    t.throws(() => createControlHandler(sup, { [field]: 'yes' } as ControlHandlerOptions), {
      name: 'TypeError',
      message: new RegExp(`${field} must be a function; got string`),
    });
  }
  t.throws(() => createControlHandler(sup, { respawned: () => undefined } as never), { name: 'TypeError' });
});
