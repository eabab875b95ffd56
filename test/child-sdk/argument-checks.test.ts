import t from 'tap';
import { nodeSpec, startSupervisor, within } from '../helpers/index.js';

// The SDK refuses what the parent would refuse, before sending it: a wrong field there is a
// PROTOCOL_ERROR that closes the connection, and the child exits with it, saying nothing.

t.test('bad calls of the child SDK throw TypeErrors at once, and the connection lives on', async (t) => {
  const sup = await startSupervisor(t);
  const errors: string[] = [];
  let results: Record<string, { threw: boolean; name?: string; message?: string }> | undefined;
  const checked = new Promise<void>((resolve) =>
    sup.on('child', (child) => {
      child.on('protocol-error', (error) => errors.push(error.message));
      child.onRequest('checked', (params) => {
        results = params;
        resolve();
        return true;
      });
    }),
  );
  const child = await sup.spawn(nodeSpec('checker', 'checks-its-arguments.cjs'));
  await within(checked, 'the child to report its checks');
  const expected: Record<string, RegExp> = {
    'log warning': /^log: level must be one of error, warn, info, debug; got "warning"$/,
    'log number': /^log: message must be a string; got number$/,
    'port host': /^reportPort: options\.host must be a non-empty string; got 5$/,
    'port typo': /^reportPort: options has an unknown option "hots"; known options: host, protocol$/,
    'diagnostics undefined': /^publishDiagnostics: diagnostics must be an array/,
    'notify reserved': /"procwire\/ready" is reserved by procwire/,
    'request reserved': /"procwire\/ready" is reserved by procwire/,
    'request number method': /^method must be a non-empty string; got 42$/,
    'request ms string': /^options of "slow"\.timeout must be milliseconds, a non-negative number; got "300ms"$/,
    'request typo': /^options of "slow" has an unknown option "timout"; known options: timeout, signal$/,
    'request signal': /^options of "slow"\.signal must be an AbortSignal$/,
    'connect socket': /^connect\(\) option socket must be a non-empty string; got 42$/,
    'connect typo': /^connect\(\) options has an unknown option "exitOnDisconect"/,
  };
  for (const [call, message] of Object.entries(expected)) {
    t.match(results?.[call], { threw: true, name: 'TypeError', message }, call);
  }
  t.same(errors, [], 'nothing reached the parent that it had to refuse');
  t.equal(await child.sendRequest('alive'), 'yes', 'the connection is still open');
  t.equal(child.state.kind, 'running');
});
