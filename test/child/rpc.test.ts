import t from 'tap';
import { EventEmitter, once } from 'node:events';
import { isProcwireError, ResponseError } from '../../src/index.js';
import { nextEvent, nodeSpec, startSupervisor, within } from '../helpers/index.js';

t.test('application requests and notifications flow both ways', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('worker', 'ready-and-echo.cjs'));

  t.same(await child.sendRequest('echo', { nested: { list: [1, 'two', null] } }), {
    nested: { list: [1, 'two', null] },
  });
  t.same(await child.sendRequest('echo', [1, 2, 3]), [1, 2, 3], 'array params arrive as the same array');
  t.same(await child.sendRequest('echo', ['only']), ['only'], 'a one-element array is not wrapped again');
  t.same(await child.sendRequest('pid'), { pid: child.pid }, 'no params');

  const asked: unknown[] = [];
  child.onRequest('ui/confirm', async (params) => {
    asked.push(params);
    return { confirmed: true };
  });
  t.same(await child.sendRequest('call-parent', { method: 'ui/confirm', params: { question: 'overwrite?' } }), {
    confirmed: true,
  });
  t.same(asked, [{ question: 'overwrite?' }], 'the parent handler saw the child params');

  await t.rejects(
    child.sendRequest('call-parent', { method: 'ui/unknown', params: {} }),
    { message: /no handler for "ui\/unknown"/ },
    'an unserved parent method is MethodNotFound, relayed back',
  );
  await t.rejects(
    child.sendRequest('no-such-method', {}),
    { code: -32601 },
    'an unserved child method is MethodNotFound',
  );
  const refused = await child.sendRequest('no-such-method', {}).catch((error: unknown) => error);
  t.ok(refused instanceof ResponseError, "the peer's refusal is the ResponseError procwire exports");
  // A parent handler answers with a code of its own by throwing one; the child relays it back.
  child.onRequest('ui/custom', () => {
    throw new ResponseError(4321, 'not now', { retryInMs: 50 });
  });
  await t.rejects(
    child.sendRequest('call-parent', { method: 'ui/custom', params: {} }),
    { code: 4321, message: 'not now', data: { retryInMs: 50 } },
    "a handler's own ResponseError reaches the caller with its code and data",
  );

  const pong = new Promise((resolve) => child.onNotification('pong', resolve));
  await child.sendNotification('ping', { n: 7 });
  t.same(await pong, { n: 7 }, 'notification to the child and one back');
});

t.test('reserved and malformed calls are refused before anything is sent', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('worker', 'ready-and-echo.cjs'));
  t.throws(() => child.onRequest('procwire/ready', () => 1), { name: 'TypeError', message: /reserved by procwire/ });
  // Thrown at once, as bad options are (README, Errors): a mistake in the call, not a failure on the way.
  t.throws(() => child.sendRequest('procwire/shutdown', {}), { name: 'TypeError', message: /reserved/ });
  t.throws(() => child.sendRequest('echo', 42), {
    name: 'TypeError',
    message: /must be an object, an array or undefined/,
  });
  t.same(await child.sendRequest('echo', { still: 'works' }), { still: 'works' });
});

t.test('sendRequest honours timeout and signal, and the child sees the cancellation', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('worker', 'reports-cancellation.cjs'));
  // The child's handler reports that it runs, and that its AbortSignal fired.
  const reports = new EventEmitter();
  child.onNotification('handler-started', (params) => void reports.emit('started', params));
  child.onNotification('handler-aborted', (params) => void reports.emit('aborted', params));
  const handlerAborted = (by: string): Promise<unknown[]> =>
    nextEvent(reports, 'aborted', `the child to report that the ${by} aborted its handler's signal`, { ms: 5000 });

  const timedOut = handlerAborted('timeout');
  await t.rejects(child.sendRequest('never-answers', { by: 'timeout' }, { timeout: 100 }), {
    code: 'TIMEOUT',
    message: /child "worker": request "never-answers" got no answer within 100 ms/,
  });
  t.same(await timedOut, [{ by: 'timeout' }], "the timeout aborted the child handler's signal");

  const controller = new AbortController();
  const cancelled = handlerAborted("caller's signal");
  const started = nextEvent(reports, 'started', 'the child to start handling the request', {
    filter: (p) => (p as { by?: string }).by === 'signal',
  });
  const pending = child.sendRequest('never-answers', { by: 'signal' }, { signal: controller.signal });
  // Abort once the child runs the handler: an abort before the request is sent sends nothing.
  await started;
  controller.abort(new Error('user cancelled'));
  await t.rejects(pending, { code: 'ABORTED' });
  t.same(await cancelled, [{ by: 'signal' }], "the caller's abort aborted the child handler's signal");
  await t.rejects(
    child.sendRequest('echo', {}, { signal: controller.signal }),
    { code: 'ABORTED' },
    'an aborted signal refuses at once',
  );
  // Bad arguments throw at once, as every bad option does (README, Errors), and send nothing.
  t.throws(() => child.sendRequest('echo', {}, { timeout: 'soon' }), {
    name: 'TypeError',
    message: /^options of "echo" for child "\w+"\.timeout must be a non-negative duration/,
  });
  t.throws(() => child.sendRequest('echo', {}, { timout: '5s' } as never), {
    name: 'TypeError',
    message: /has an unknown option "timout"; known options: timeout, signal/,
  });
  t.throws(() => child.sendRequest('echo', 5), { name: 'TypeError', message: /params of "echo" must be an object/ });
  t.throws(() => child.sendNotification('procwire/ready'), { name: 'TypeError', message: /reserved by procwire/ });
  t.same(await child.sendRequest('echo', { after: 'cancel' }), { after: 'cancel' }, 'the connection is still usable');
});

t.test('pending requests reject at once when the connection closes', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('worker', 'ready-and-echo.cjs', { restart: 'never' }));
  const pending = child.sendRequest('never-answers', {});
  const exited = within(once(child, 'exit'), 'the worker to exit');
  void child.sendRequest('exit', { code: 7 }).catch(() => undefined);
  const error = await pending.catch((e: unknown) => e);
  t.ok(isProcwireError(error, 'CONNECTION_CLOSED'), `rejected with CONNECTION_CLOSED: ${String(error)}`);
  t.same(await exited, [{ exitCode: 7, signal: null }]);
  t.equal(child.state.kind, 'exited');
  await t.rejects(child.sendRequest('echo', {}), {
    code: 'NOT_CONNECTED',
    message: /child "worker" is not connected \(state: exited\)/,
  });
});

t.test('many requests in flight at once raise no listener-leak warning on either side', async (t) => {
  const sup = await startSupervisor(t);
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(`parent: ${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  sup.on('child', (child) => child.on('stderr', (line) => /Warning/.test(line) && warnings.push(`child: ${line}`)));
  const child = await sup.spawn(nodeSpec('busy', 'ready-and-echo.cjs'));
  // Each request has a timeout (a listener on the connection's close signal here) and its
  // handler reads its signal (one there); 50 is far past the default limit of 10.
  const outcomes = await Promise.allSettled(
    Array.from({ length: 50 }, () => child.sendRequest('never-answers', {}, { timeout: 300 })),
  );
  t.ok(
    outcomes.every((o) => o.status === 'rejected' && isProcwireError(o.reason, 'TIMEOUT')),
    'all 50 timed out',
  );
  t.same(
    await child.sendRequest('echo', { still: 'here' }),
    { still: 'here' },
    'and the child answered after that, so its stderr is read',
  );
  t.same(warnings, [], 'no MaxListenersExceededWarning');
});

t.test('a value JSON cannot carry fails its own call and leaves the connection up', async (t) => {
  const sup = await startSupervisor(t);
  const child = await sup.spawn(nodeSpec('worker', 'ready-and-echo.cjs'));
  const errors: unknown[] = [];
  child.on('protocol-error', (error) => errors.push(error));
  await t.rejects(child.sendRequest('echo', { n: 1n }), /BigInt/, 'params the parent cannot serialise reject the call');
  await t.rejects(child.sendNotification('ping', { n: 1n }), /BigInt/, 'and the notification');
  await t.rejects(
    child.sendRequest('unserialisable', {}),
    /BigInt/,
    "a child's result it cannot serialise comes back as an error",
  );
  // The same while the socket is backed up, when messages wait to be encoded.
  const big = { pad: 'x'.repeat(100_000) };
  const burst = Array.from({ length: 40 }, () => child.sendRequest('echo', big));
  const backlogged = child.sendRequest('echo', { n: 1n });
  await t.rejects(backlogged, /BigInt/, 'also when it waited in the backlog');
  t.equal((await Promise.all(burst)).length, 40, 'the burst around it was answered');
  t.same(await child.sendRequest('echo', { ok: true }), { ok: true }, 'the same connection still works');
  t.equal(child.state.kind, 'running');
  t.same(errors, [], 'no protocol error: a caller bug is not a broken connection');
});
