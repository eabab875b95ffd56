import t from 'tap';
import { once } from 'node:events';
import type { ProcwireError, Supervisor } from '../../src/index.js';
import { nodeSpec, startSupervisor, within } from '../helpers/index.js';

/** The protocol errors of the next child the supervisor adds, and its exit. */
function watchNextChild(sup: Supervisor): { errors: ProcwireError[]; exited(): Promise<unknown[]> } {
  const errors: ProcwireError[] = [];
  let exit: Promise<unknown[]> | undefined;
  sup.once('child', (child) => {
    child.on('protocol-error', (error) => errors.push(error));
    exit = within(once(child, 'exit'), `${child.id} to exit`);
  });
  return { errors, exited: () => exit ?? Promise.reject(new Error('no child was added')) };
}

t.test('an oversize frame closes only that child’s connection, with MESSAGE_TOO_LARGE on its events', async (t) => {
  const sup = await startSupervisor(t, { maxMessageSize: 64 * 1024 });
  const honest = await sup.spawn(nodeSpec('honest', 'ready-and-echo.cjs'));
  const { errors, exited } = watchNextChild(sup);
  const big = await sup.spawn(nodeSpec('big', 'raw-client.cjs', { args: ['oversize'], restart: 'never' }));
  t.same(await exited(), [{ exitCode: 0, signal: null }], 'the offender saw its connection closed and exited');
  t.equal(errors.length, 1);
  t.equal(errors[0]?.code, 'MESSAGE_TOO_LARGE');
  t.equal(errors[0]?.childId, 'big');
  t.match(
    errors[0]?.message,
    /child "big": frame of 999999999 bytes exceeds maxMessageSize \(65536 bytes\).*connection was closed/,
  );
  t.equal(big.state.kind, 'exited');
  t.same(await honest.sendRequest('echo', { alive: true }), { alive: true }, 'the other child is unaffected');
  const large = { blob: 'x'.repeat(60 * 1024) };
  t.same(await honest.sendRequest('echo', large), large, 'frames under the cap still pass');
});

t.test('an oversize frame before ready fails the spawn with MESSAGE_TOO_LARGE', async (t) => {
  const sup = await startSupervisor(t, { maxMessageSize: 64 * 1024 });
  await t.rejects(sup.spawn(nodeSpec('big', 'raw-client.cjs', { args: ['oversize-before-ready'], restart: 'never' })), {
    code: 'MESSAGE_TOO_LARGE',
    childId: 'big',
  });
  t.equal(sup.children.size, 0);
});

t.test('wrong params on a reserved method are a PROTOCOL_ERROR that closes the connection', async (t) => {
  const sup = await startSupervisor(t);
  const { errors, exited } = watchNextChild(sup);
  const child = await sup.spawn(nodeSpec('typo', 'raw-client.cjs', { args: ['bad-params'], restart: 'never' }));
  await exited();
  t.equal(errors[0]?.code, 'PROTOCOL_ERROR');
  t.match(errors[0]?.message, /child "typo": procwire\/port: port must be an integer 0-65535, got "eighty"/);
  t.equal(child.ports.size, 0, 'nothing was recorded from the bad message');
});
