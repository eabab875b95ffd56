import t from 'tap';
import { isProcwireError } from '../../src/index.js';
import { nextEvent, nodeSpec, startSupervisor } from '../helpers/index.js';

t.test('connect() with a wrong token rejects with AUTH_FAILED, naming the child and what to check', async (t) => {
  const sup = await startSupervisor(t);
  let said!: Promise<[string]>;
  sup.once(
    'child',
    (child) => (said = nextEvent<[string]>(child, 'stdout', 'the child to print how its connect() ended')),
  );
  const spawned = await sup.spawn(nodeSpec('impostor', 'connects-with-wrong-token.cjs', { restart: 'never' })).then(
    () => new Error('spawn resolved'),
    (error: unknown) => error,
  );
  const [line] = await said;
  const outcome = JSON.parse(line) as {
    name?: string;
    code?: string;
    childId?: string;
    message?: string;
    connected?: boolean;
  };
  t.equal(outcome.connected, undefined, 'connect() did not resolve');
  t.equal(outcome.name, 'ProcwireError');
  t.equal(outcome.code, 'AUTH_FAILED');
  t.equal(outcome.childId, 'impostor');
  t.match(
    outcome.message,
    /^procwire\/child "impostor": the parent closed the connection during the handshake\./,
    'names the child and what happened',
  );
  t.match(outcome.message, /token or id is wrong/, 'says what to check: the token and id');
  t.match(outcome.message, /already connected as this id/, '…another connection under this id');
  t.match(outcome.message, /after connectTimeout/, '…and the connect timeout');
  t.ok(
    isProcwireError(spawned, 'EXITED_BEFORE_READY'),
    `the parent saw the child exit before ready: ${String(spawned)}`,
  );
  t.equal(sup.stats.rejectedConnections, 1, 'the parent refused and counted the one connection');
  t.equal(sup.stats.acceptedConnections, 0);
});
