import t from 'tap';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcwireError } from '../../src/index.js';
import { startSupervisor } from '../helpers/index.js';

t.test(
  'a command that is not executable (EACCES) rejects with SPAWN_FAILED, says so, and is not retried',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'procwire-eacces-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, 'build.sh');
    writeFileSync(script, '#!/bin/sh\necho built\n');
    chmodSync(script, 0o644);

    const sup = await startSupervisor(t);
    const restarts: unknown[] = [];
    const states: string[] = [];
    sup.once('child', (child) => {
      child.on('restart', (info) => restarts.push(info));
      child.on('state', (state) => states.push(state.kind));
    });
    // A restarting policy with a short backoff: were EACCES retried, it would show at once.
    const error = await sup
      .spawn({ id: 'builder', command: script, restart: 'always', maxRestarts: 3, backoff: { initial: 10, max: 10 } })
      .then(
        () => new Error('spawn resolved'),
        (caught: unknown) => caught,
      );
    t.ok(isProcwireError(error, 'SPAWN_FAILED'), `SPAWN_FAILED: ${String(error)}`);
    if (!isProcwireError(error)) return;
    t.equal(error.childId, 'builder');
    t.equal((error.cause as NodeJS.ErrnoException | undefined)?.code, 'EACCES', 'the OS refused with EACCES');
    t.ok(error.message.includes(JSON.stringify(script)), `the message names the command: ${error.message}`);
    t.match(error.message, /executable/, 'and says to check that it is executable');
    t.same(restarts, [], 'no restart event: a file that cannot be executed will not run on a retry');
    t.notOk(states.includes('backoff'), `never in backoff: ${states.join(' -> ')}`);
    t.equal(states.at(-1), 'failed', 'it ended failed');
    t.equal(sup.get('builder'), undefined, 'the id is free again');
  },
);
