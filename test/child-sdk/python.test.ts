import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirname } from 'node:path';
import type { ChildSpec } from '../../src/index.js';
import {
  exitOf,
  firstLine,
  fixture,
  killAtTeardown,
  pidAlive,
  recordLives,
  recordOutput,
  spawnTracked,
  startSupervisor,
  until,
  within,
} from '../helpers/index.js';

// The stdlib-only Python client (child-sdk/python/procwire_child.py) under the real
// supervisor, through test/fixtures/python-child.py.

function pythonProblem(): string | false {
  const probe = spawnSync('python3', ['-c', 'import sys; print(sys.version_info >= (3, 8))'], { encoding: 'utf8' });
  if (probe.error !== undefined)
    return `python3 is not on PATH (${probe.error.message}); the Python client cannot be tested here`;
  if (probe.stdout.trim() !== 'True')
    return `python3 is older than 3.8 (the client's minimum): ${probe.stdout.trim() || probe.stderr.trim()}`;
  return false;
}

const skip = pythonProblem();
const SHUTDOWN_LINE = 'python shutdown handler ran';

function pythonSpec(id: string, extra: Partial<ChildSpec> = {}): ChildSpec {
  return { id, command: 'python3', args: [fixture('python-child.py')], ...extra };
}

/** Resolves once something listens on 127.0.0.1:port (rejects on a refused connection). */
function reachable(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

t.test('a Python child: hello, port, diagnostics, log, requests both ways, clean stop', { skip }, async (t) => {
  const sup = await startSupervisor(t);
  const { stdout, stderr, logs } = recordOutput(sup);
  const child = await sup.spawn(pythonSpec('py'));
  t.equal(child.state.kind, 'running', 'spawn resolved: hello and ready worked');

  const port = child.ports.get('http');
  t.match(port, { name: 'http', host: '127.0.0.1', protocol: 'http' });
  t.ok(port !== undefined && port.port > 0, `a real ephemeral port: ${port?.port}`);
  await reachable(port!.port);
  t.pass('the reported port accepts connections');

  t.same([...child.diagnostics.keys()], ['/src/app.py']);
  t.same(child.diagnostics.get('/src/app.py'), [
    {
      range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } },
      severity: 1,
      code: 'E0602',
      source: 'pylint',
      message: 'undefined variable "näme"',
    },
  ]);
  t.same(
    logs,
    [{ level: 'info', message: `python child ${child.pid} listening on ${port?.port}` }],
    'the log line arrived before ready',
  );

  t.same(await child.sendRequest('echo', { a: [1, 'x'] }), { a: [1, 'x'] });
  t.same(await child.sendRequest('echo', [1, { b: null }]), [1, { b: null }], 'array params round-trip');
  t.same(await child.sendRequest('echo'), null, 'no params: the handler gets None and answers null');

  const asked: unknown[] = [];
  child.onRequest('ui/confirm', async (params) => {
    asked.push(params);
    return { confirmed: true, question: (params as { question: string }).question };
  });
  t.same(await child.sendRequest('ask-parent', { question: 'overwrite?' }), {
    confirmed: true,
    question: 'overwrite?',
  });
  t.same(asked, [{ question: 'overwrite?' }], "the parent's handler saw the child's params");

  await t.rejects(child.sendRequest('no-such-method', {}), {
    code: -32601,
    message: /child "py" has no handler for "no-such-method"/,
  });
  child.onRequest('ui/confirm', () => {
    throw new Error('no terminal');
  });
  await t.rejects(
    child.sendRequest('ask-parent', { question: 'again?' }),
    { code: -32603, message: /no terminal/ },
    "the parent's error reaches the child's send_request as RpcError and comes back with its code",
  );

  const removed = new Promise((resolve) => child.once('port-removed', resolve));
  t.equal(await child.sendRequest('close-http'), true, 'remove_port sent procwire/port-removed');
  t.match(await within(removed, 'the port-removed event'), { name: 'http', port: port?.port });
  t.same([...child.ports.keys()], [], 'the closed port is gone');

  t.same(await child.stop(), { exitCode: 0, signal: null, termination: 'clean' });
  await until(() => stdout.includes(SHUTDOWN_LINE), 2000, 'the shutdown handler line on stdout');
  t.same(stderr, [], 'nothing on stderr');
});

t.test('a Python child with heartbeat: 300 stays up through a 1 s busy request', { skip }, async (t) => {
  const sup = await startSupervisor(t);
  const lives = recordLives(sup);
  const child = await sup.spawn(pythonSpec('beating', { heartbeat: 300, restart: 'never' }));
  const pid = child.pid;
  // The handler keeps the child busy for 1 s, more than the 600 ms of silence after which
  // the parent takes a child to be hung and stops it; the heartbeat thread runs meanwhile.
  t.same(await child.sendRequest('work', { seconds: 1 }), { seconds: 1 }, 'answered after 1 s, so not stopped as hung');
  t.same(await child.sendRequest('echo', { still: 'here' }), { still: 'here' });
  t.equal(child.state.kind, 'running');
  t.equal(child.pid, pid, 'the same process');
  const life = lives.get('beating')!;
  t.same([...new Set(life.states.map((s) => s.kind))], ['starting', 'running'], 'never stopping, exited or in backoff');
  t.same(life.pids, [pid], 'one process');
  t.same(await child.stop(), { exitCode: 0, signal: null, termination: 'clean' });
});

t.test(
  'a parent killed with SIGKILL: its Python child runs its shutdown handlers and exits within 1 s',
  { skip },
  async (t: Test) => {
    const parent = spawnTracked(t, process.execPath, [fixture('parent-of-python.mjs'), './python-child.py']);
    let out = '';
    const report = new Promise<string>((resolve) => {
      parent.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
    });
    const { pid, address } = JSON.parse(await within(report, "the parent's report line")) as {
      pid: number;
      address: string;
    };
    killAtTeardown(t, pid);
    t.teardown(() => rmSync(dirname(address), { recursive: true, force: true }));
    t.ok(pidAlive(pid), 'the Python child runs');
    parent.kill('SIGKILL');
    await exitOf(parent);
    const waited = await until(() => !pidAlive(pid), 1000, `Python child ${pid} to exit`);
    t.ok(waited <= 1000, `Python child ${pid} exited ${waited} ms after its parent died`);
    await until(() => out.includes(SHUTDOWN_LINE), 1000, 'the shutdown handler line');
    t.pass('its shutdown handler ran on the disconnect');
  },
);

t.test(
  'a Python child: PROCWIRE_SOCKET, _ID and _TOKEN are gone from os.environ after connect, and from a subprocess',
  { skip },
  async (t) => {
    const sup = await startSupervisor(t);
    const child = await sup.spawn(pythonSpec('py-env'));
    t.same(await child.sendRequest('env'), { own: [], grandchild: [], shared: true });
  },
);

t.test(
  'a Python child given a Content-Length of 5,000 digits raises ProtocolError, not ValueError',
  { skip },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'procwire-fake-parent-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 's.sock');
    // A parent that answers the hello with a header no frame could honour.
    const fake = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write(`Content-Length: ${'9'.repeat(5000)}\r\n\r\n`));
    });
    await within(new Promise<void>((resolve) => fake.listen(path, resolve)), 'the fake parent to listen');
    t.teardown(() => new Promise((resolve) => fake.close(resolve)));
    const client = spawnTracked(t, 'python3', [fixture('python-connect-error.py')], {
      ...process.env,
      PROCWIRE_SOCKET: path,
      PROCWIRE_ID: 'py',
      PROCWIRE_TOKEN: 'f'.repeat(64),
    });
    const raised = JSON.parse(await firstLine(client.stdout!)) as { type: string; message: string };
    t.equal(raised.type, 'ProtocolError', `raised ${raised.type}: ${raised.message}`);
    t.match(raised.message, /invalid Content-Length/);
    t.ok(raised.message.length < 300, 'the message quotes the header, not all 5,000 digits');
  },
);

t.test("the README's Python example runs as written", { skip }, async (t) => {
  // The block under "Children in other languages", copied next to the client as a user would.
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Children in other languages'));
  const example = /```python\n([\s\S]*?)```/.exec(section)?.[1];
  if (example === undefined) throw new Error('README.md has no python block under "Children in other languages"');
  const dir = mkdtempSync(join(tmpdir(), 'procwire-readme-py-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'worker.py'), example);
  copyFileSync(new URL('../../child-sdk/python/procwire_child.py', import.meta.url), join(dir, 'procwire_child.py'));
  const sup = await startSupervisor(t);
  // As the README spawns it, from the script's directory.
  const py = await sup.spawn({ id: 'py', command: 'python3', args: ['worker.py'], cwd: dir });
  const http = py.ports.get('http');
  t.match(http, { protocol: 'http' }, 'its server was reported');
  const answer = await fetch(`http://127.0.0.1:${http?.port}/`);
  t.equal(answer.status, 200, 'and serves');
  t.same([...py.diagnostics.keys()], ['/src/main.py']);
  t.same(await py.sendRequest('build', {}), { ok: true });
  t.match(await py.stop(), { termination: 'clean' });
});
