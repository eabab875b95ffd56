import t from 'tap';
import { DEFAULT_CHILD_LIMITS } from '../../src/child/child-limits.js';
import { connectionHooks, type ConnectionHookDeps } from '../../src/child/connection-hooks.js';
import { Reports } from '../../src/child/reports.js';
import type { Run } from '../../src/child/run.js';
import { HandlerTable } from '../../src/protocol/index.js';

// procwire/port-removed speaks only for the ports the child itself reported, and only while its
// run is the child's current one (docs/PROTOCOL.md, section 5). The hooks decide that alone.

t.test("port-removed drops the child's own port, never one the OS found, nor for a replaced run", async (t) => {
  const removed: string[] = [];
  const reports = new Reports(DEFAULT_CHILD_LIMITS, {
    port: () => undefined,
    portRemoved: (port) => removed.push(port.name),
    diagnostics: () => undefined,
  });
  let current = true;
  const deps: ConnectionHookDeps = {
    childId: 'c',
    reports,
    handlers: new HandlerTable('the parent'),
    control: undefined,
    isCurrent: () => current,
    log: () => undefined,
    protocolError: () => undefined,
    closed: () => undefined,
  };
  // The hooks read only whether the run has exited.
  const hooks = connectionHooks({ exit: undefined } as unknown as Run, deps);
  hooks.port({ name: 'http', port: 3000 });
  hooks.port({ name: 'admin', port: 3001 });
  reports.setPort({ name: 'port-1', port: 3002, host: '127.0.0.1', source: 'os' });

  hooks.portRemoved({ name: 'port-1' });
  hooks.portRemoved({ name: 'nothing-by-this-name' });
  t.same(removed, [], 'an OS-found port and an unknown name are left alone');
  current = false;
  hooks.portRemoved({ name: 'admin' });
  t.same(removed, [], 'a replaced run no longer speaks for the ports');
  current = true;
  hooks.portRemoved({ name: 'http' });
  t.same(removed, ['http'], "the current run's own port goes");
  t.same([...reports.ports.keys()].sort(), ['admin', 'port-1']);
});
