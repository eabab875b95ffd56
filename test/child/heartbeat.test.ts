import t from 'tap';
import type { ExitInfo, ProcwireError } from '../../src/index.js';
import { nodeSpec, startSupervisor } from '../helpers/index.js';

// The heartbeat deadline is a timer in the parent. When the parent's own event loop is
// blocked (a long synchronous job, a huge frame being parsed), the timer fires as soon as
// the loop is free, before the poll phase has read the beats the child sent meanwhile.
t.test(
  'a healthy child whose beats wait behind the parent’s own blocked event loop is not taken for hung',
  async (t) => {
    const sup = await startSupervisor(t);
    const child = await sup.spawn(nodeSpec('beating', 'ready-and-echo.cjs', { heartbeat: 500, restart: 'never' }));
    const exits: ExitInfo[] = [];
    child.on('exit', (exit) => exits.push(exit));
    const { pid } = await child.sendRequest<{ pid: number }>('pid');
    // Five periods, more than the two a hung child gets; the child beats every 167 ms throughout.
    const blockedUntil = Date.now() + 2500;
    while (Date.now() < blockedUntil);
    // A request the child holds until it is cancelled: it ends in TIMEOUT while the child
    // lives, and in CONNECTION_CLOSED if the parent took it for hung and stopped it.
    const error = (await child
      .sendRequest('never-answers', {}, { timeout: 1500 })
      .catch((e: unknown) => e)) as ProcwireError;
    t.equal(error.code, 'TIMEOUT', `the child was kept (the request ended with ${error.code})`);
    t.equal(child.state.kind, 'running');
    t.equal(child.pid, pid, 'the same process');
    t.same(exits, [], 'it was not stopped');
    t.same(await child.sendRequest('echo', { still: 'here' }), { still: 'here' });
  },
);
