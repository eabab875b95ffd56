import t from 'tap';
import type { ChildState, ProcwireError } from '../../src/index.js';
import { nextEvent, nodeSpec, pidAlive, recordLives, startSupervisor } from '../helpers/index.js';

t.test(
  "a protocol violation while running is a failure: restart: 'on-failure' restarts the child, though it exits 0",
  async (t) => {
    const sup = await startSupervisor(t);
    const lives = recordLives(sup);
    const errors: ProcwireError[] = [];
    let readies = 0;
    sup.on('child', (child) => {
      child.on('protocol-error', (error) => errors.push(error));
      child.on('ready', () => readies++);
    });
    // Each run says ready, then sends procwire/port with a port that is not a number, and
    // exits 0 when the parent closes its connection. One restart is allowed, then it gives up.
    const child = await sup.spawn(
      nodeSpec('typo', 'raw-client.cjs', {
        args: ['bad-params'],
        restart: 'on-failure',
        maxRestarts: 1,
        backoff: { initial: 10 },
      }),
    );
    const life = lives.get('typo')!;
    // 'exited' ends the wait too: that is where a child not judged a failure would end up.
    const over = (state: ChildState): boolean => state.kind === 'failed' || state.kind === 'exited';
    if (!over(child.state))
      await nextEvent<[ChildState]>(child, 'state', 'the child to end (failed or exited)', { filter: over });

    t.equal(readies, 2, 'ready, then ready again after the restart');
    t.equal(life.pids.length, 2, 'two processes');
    t.not(life.pids[0], life.pids[1], 'the restart has a new pid');
    t.same(
      life.exits.map((exit) => [exit.exitCode, exit.signal]),
      [
        [0, null],
        [0, null],
      ],
      'each run exited 0 by itself',
    );
    t.equal(life.restarts.length, 1, 'restarted once');
    t.match(life.restarts[0]?.reason, /it broke the protocol/, 'because it broke the protocol');
    t.equal(errors.length, 2, 'protocol-error fired for each run');
    for (const error of errors) {
      t.match(error, {
        code: 'PROTOCOL_ERROR',
        childId: 'typo',
        message: /child "typo": procwire\/port: port must be an integer 0-65535, got "eighty"/,
      });
    }
    t.match(
      life.gaveUp,
      [{ code: 'GAVE_UP', message: /last failure: it broke the protocol/ }],
      'the second violation used up maxRestarts: 1',
    );
    t.equal(child.state.kind, 'failed');
    t.same(life.pids.filter(pidAlive), [], 'no process is left');
  },
);
