import t from 'tap';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_WAIT_MS, nodeSpec, recordOutput, startSupervisor, until } from '../helpers/index.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const cannotLoad = "cannot load the SDK's JSON-RPC part";

t.test('a child whose SDK entry cannot find its JSON-RPC part says so to the parent and on stderr', async (t) => {
  // The entry and the wire part without the deferred part, as a partial copy would leave them.
  const dir = await mkdtemp(join(tmpdir(), 'procwire-partial-sdk-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const file of ['child.cjs', 'child-wire.cjs']) await copyFile(join(dist, file), join(dir, file));

  const sup = await startSupervisor(t);
  const output = recordOutput(sup);
  const child = await sup.spawn(
    nodeSpec('partial', 'ready-on-given-sdk.cjs', { env: { PROCWIRE_SDK: join(dir, 'child.cjs') } }),
  );
  await until(
    () => output.logs.length > 0 && output.stderr.some((line) => line.includes(cannotLoad)),
    EVENT_WAIT_MS,
    'the log entry and the stderr line',
  );
  t.match(output.logs, [
    { level: 'error', message: /^procwire\/child "partial": cannot load .*child-rpc\.cjs.*Reinstall/s },
  ]);
  t.equal(child.state.kind, 'running', 'the child still runs: its reports need no JSON-RPC');
});
