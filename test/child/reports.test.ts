import t from 'tap';
import type { Diagnostic, PortInfo } from '../../src/index.js';
import { DEFAULT_CHILD_LIMITS } from '../../src/child/child-limits.js';
import { Reports } from '../../src/child/reports.js';

// Reports know nothing of processes: the SDK's connection, and the parent's own readers of a
// child without the SDK, feed the same store and the same events.

function recorded(limits = DEFAULT_CHILD_LIMITS) {
  const events: string[] = [];
  const reports = new Reports(limits, {
    port: (port) => events.push(`port ${port.name}:${port.port}`),
    portRemoved: (port) => events.push(`port-removed ${port.name}`),
    diagnostics: (file, list) => events.push(`diagnostics ${file} ${list.length}`),
  });
  return { reports, events };
}

const port = (name: string, number: number): PortInfo => ({ name, port: number, host: '127.0.0.1' });
const diagnostic = (line: number): Diagnostic => ({
  range: { start: { line, character: 0 }, end: { line, character: 1 } },
  severity: 1,
  message: `problem ${line}`,
});

t.test('ports: set, replaced by name, removed one by one and all at once, each with its event', async (t) => {
  const { reports, events } = recorded();
  reports.setPort(port('http', 3000));
  reports.setPort(port('admin', 3001));
  reports.setPort(port('http', 3002));
  t.same(
    [...reports.ports.values()].map((p) => `${p.name}:${p.port}`),
    ['http:3002', 'admin:3001'],
  );
  reports.removePort('admin');
  reports.removePort('nothing-here');
  reports.setPort(port('debug', 9229));
  reports.removeAllPorts();
  t.same(reports.ports.size, 0);
  t.same(events, [
    'port http:3000',
    'port admin:3001',
    'port http:3002',
    'port-removed admin',
    'port debug:9229',
    'port-removed http',
    'port-removed debug',
  ]);
});

t.test(
  'a new port name over limits.ports is refused with a PROTOCOL_ERROR naming the cap; nothing changes',
  async (t) => {
    const { reports, events } = recorded({ ...DEFAULT_CHILD_LIMITS, ports: 2 });
    reports.setPort(port('a', 1));
    reports.setPort(port('b', 2));
    t.throws(() => reports.setPort(port('c', 3)), { code: 'PROTOCOL_ERROR', message: /limits\.ports \(2\)/ });
    reports.setPort(port('a', 4));
    t.same([...reports.ports.keys()], ['a', 'b'], 'an existing name may still change its port');
    t.same(events, ['port a:1', 'port b:2', 'port a:4']);
  },
);

t.test('diagnostics: replaced per file, [] clears a file, clearing all announces every file as []', async (t) => {
  const { reports, events } = recorded();
  reports.setDiagnostics('/a.ts', [diagnostic(0), diagnostic(1)]);
  reports.setDiagnostics('/b.ts', [diagnostic(2)]);
  reports.setDiagnostics('/a.ts', [diagnostic(3)]);
  reports.setDiagnostics('/b.ts', []);
  t.same([...reports.diagnostics.keys()], ['/a.ts']);
  t.equal(reports.diagnostics.get('/a.ts')?.[0]?.message, 'problem 3');
  reports.setDiagnostics('/c.ts', [diagnostic(4)]);
  reports.clearDiagnostics();
  t.equal(reports.diagnostics.size, 0);
  t.same(events, [
    'diagnostics /a.ts 2',
    'diagnostics /b.ts 1',
    'diagnostics /a.ts 1',
    'diagnostics /b.ts 0',
    'diagnostics /c.ts 1',
    'diagnostics /a.ts 0',
    'diagnostics /c.ts 0',
  ]);
});

t.test('a set over limits.diagnostics or limits.diagnosticFiles is refused whole, with no event', async (t) => {
  const { reports, events } = recorded({ ...DEFAULT_CHILD_LIMITS, diagnostics: 3, diagnosticFiles: 2 });
  reports.setDiagnostics('/a.ts', [diagnostic(0), diagnostic(1)]);
  t.throws(() => reports.setDiagnostics('/b.ts', [diagnostic(2), diagnostic(3)]), {
    message: /limits\.diagnostics \(3\)/,
  });
  reports.setDiagnostics('/b.ts', [diagnostic(2)]);
  t.throws(() => reports.setDiagnostics('/c.ts', [diagnostic(4)]), { message: /limits\.diagnosticFiles \(2\)/ });
  t.same([...reports.diagnostics.keys()], ['/a.ts', '/b.ts']);
  t.same(events, ['diagnostics /a.ts 2', 'diagnostics /b.ts 1']);
});
