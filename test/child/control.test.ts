import t from 'tap';
import { fixture, nodeSpec, pidAlive, startSupervisor } from '../helpers/index.js';

type Answer = { ok: boolean; result?: any; code?: number; message?: string; data?: { code?: string } };

t.test('a child with allowControl spawns and stops a sibling, supervised like any other', async (t) => {
  const sup = await startSupervisor(t);
  const coordinator = await sup.spawn(nodeSpec('coordinator', 'controls-siblings.cjs', { allowControl: true }));
  const started = await coordinator.sendRequest<Answer>('start-sibling', {
    id: 'dev-server',
    command: process.execPath,
    args: [fixture('reports-http-port.cjs')],
    stopTimeout: '2s',
  });
  t.same(started, { ok: true, result: { id: 'dev-server' } }, 'answered once the sibling was ready');
  const sibling = sup.get('dev-server')!;
  t.equal(sibling.state.kind, 'running');
  const port = await sibling.waitForPort('http');
  t.equal(await (await fetch(`http://127.0.0.1:${port.port}/`)).text(), 'hello from dev-server');
  const pid = sibling.pid!;

  const stopped = await coordinator.sendRequest<Answer>('stop-sibling', { id: 'dev-server' });
  t.same(stopped, { ok: true, result: { exitCode: 0, signal: null, termination: 'clean' } });
  t.equal(sibling.state.kind, 'stopped');
  t.notOk(pidAlive(pid));

  const failing = await coordinator.sendRequest<Answer>('start-sibling', {
    id: 'broken',
    command: '/nonexistent/tool',
  });
  t.match(failing, {
    ok: false,
    code: -32002,
    data: { code: 'SPAWN_FAILED' },
    message: /could not spawn "\/nonexistent\/tool"/,
  });
  const invalid = await coordinator.sendRequest<Answer>('start-sibling', {
    id: 'bad',
    command: 'x',
    restart: 'sometimes',
  });
  t.match(invalid, { ok: false, code: -32602, message: /restart of child "bad" must be one of/ });
  const unknown = await coordinator.sendRequest<Answer>('stop-sibling', { id: 'nobody' });
  t.match(unknown, { ok: false, code: -32602, message: /existing child/ });

  await coordinator.sendRequest<Answer>('start-sibling', {
    id: 'late',
    command: process.execPath,
    args: [fixture('ready-and-echo.cjs')],
  });
  const late = sup.get('late')!;
  const latePid = late.pid!;
  await sup.shutdown();
  t.equal(late.state.kind, 'stopped', 'a child-spawned sibling is stopped with the supervisor');
  t.notOk(pidAlive(latePid));
});

t.test('without allowControl the same requests are refused and nothing is spawned', async (t) => {
  const sup = await startSupervisor(t);
  const coordinator = await sup.spawn(nodeSpec('coordinator', 'controls-siblings.cjs'));
  const victim = await sup.spawn(nodeSpec('victim', 'ready-and-echo.cjs'));
  const spawn = await coordinator.sendRequest<Answer>('start-sibling', {
    id: 'sneaky',
    command: process.execPath,
    args: [fixture('ready-and-echo.cjs')],
  });
  t.match(spawn, {
    ok: false,
    code: -32001,
    message: /procwire\/spawn is refused: child "coordinator" does not have allowControl: true/,
  });
  const stop = await coordinator.sendRequest<Answer>('stop-sibling', { id: 'victim' });
  t.match(stop, { ok: false, code: -32001 });
  t.same([...sup.children.keys()], ['coordinator', 'victim'], 'nothing was spawned');
  t.equal(victim.state.kind, 'running', 'nothing was stopped');
});
