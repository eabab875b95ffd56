import t from 'tap';
import type { Child, Diagnostic, PortInfo } from '../../src/index.js';
import { nodeSpec, startSupervisor } from '../helpers/index.js';

t.test('two children at once keep their own ports and diagnostics', async (t) => {
  const sup = await startSupervisor(t);
  const seen = new Map<string, { ports: PortInfo[]; files: string[] }>();
  sup.on('child', (child) => {
    const record = { ports: [] as PortInfo[], files: [] as string[] };
    seen.set(child.id, record);
    child.on('port', (port) => record.ports.push(port));
    child.on('diagnostics', (file) => record.files.push(file));
  });
  const [web1, web2] = await Promise.all([
    sup.spawn(nodeSpec('web-1', 'reports-http-port.cjs')),
    sup.spawn(nodeSpec('web-2', 'reports-http-port.cjs')),
  ]);
  const [tsc1, tsc2] = await Promise.all([
    sup.spawn(nodeSpec('tsc-1', 'publishes-diagnostics.cjs')),
    sup.spawn(nodeSpec('tsc-2', 'publishes-diagnostics.cjs')),
  ]);

  for (const web of [web1, web2]) {
    const port = await web.waitForPort('http', { timeout: '5s' });
    t.equal(port.name, 'http');
    t.equal(port.protocol, 'http');
    t.equal(port.host, '127.0.0.1');
    t.ok(port.port > 0, `${web.id} bound a real ephemeral port`);
    const response = await fetch(`http://${port.host}:${port.port}/`);
    t.equal(await response.text(), `hello from ${web.id}`, `${web.id}'s port reaches ${web.id}`);
    t.same(seen.get(web.id)?.ports, [port], `${web.id} fired one port event, seen from the supervisor's child event`);
  }
  t.not(web1.ports.get('http')?.port, web2.ports.get('http')?.port);

  for (const tsc of [tsc1, tsc2]) {
    t.same([...tsc.diagnostics.keys()].sort(), [`/src/${tsc.id}/a.ts`, `/src/${tsc.id}/b.ts`]);
    const a = tsc.diagnostics.get(`/src/${tsc.id}/a.ts`) as Diagnostic[];
    t.equal(a.length, 2);
    t.match(a[0], { severity: 1, code: 'TS2322', source: 'tsc', message: `${tsc.id}: type error`, range: { start: { line: 2, character: 4 } } });
    t.equal(a[1]?.severity, 2);
  }
  t.same(seen.get('tsc-1')?.files, ['/src/tsc-1/a.ts', '/src/tsc-1/b.ts'], 'one event per published file, in order');

  const cleared = new Promise<[string, readonly Diagnostic[]]>((resolve) => tsc1.once('diagnostics', (file, list) => resolve([file, list])));
  t.equal(await tsc1.sendRequest('fix'), 'fixed');
  t.same(await cleared, ['/src/tsc-1/a.ts', []], 'an empty array clears the file, with an event');
  t.same([...tsc1.diagnostics.keys()], ['/src/tsc-1/b.ts']);
  t.equal(tsc2.diagnostics.size, 2, 'the other child is untouched');
});

t.test('waitForPort waits for a later report, and fails clearly', async (t) => {
  const sup = await startSupervisor(t);
  let child: Child | undefined;
  sup.once('child', (c) => (child = c));
  const spawning = sup.spawn(nodeSpec('web', 'reports-http-port.cjs'));
  const early = child!.waitForPort('http');
  await spawning;
  t.equal((await early).port, child!.ports.get('http')?.port, 'a wait begun before the report resolves with it');

  await t.rejects(child!.waitForPort('admin', { timeout: 100 }), { code: 'TIMEOUT', message: /did not report port "admin" within 100 ms/ });
  const controller = new AbortController();
  const aborted = child!.waitForPort('admin', { signal: controller.signal });
  controller.abort();
  await t.rejects(aborted, { code: 'ABORTED' });
  const ended = child!.waitForPort('admin');
  await child!.stop();
  await t.rejects(ended, { code: 'STOPPED', message: /ended before it reported port "admin"/ });
  await t.rejects(child!.waitForPort('admin'), { code: 'STOPPED', message: /is stopped and never reported port "admin"/ }, 'a wait on a stopped child fails at once');
});
