import t from 'tap';
import { availableParallelism } from 'node:os';
import type { Child, ChildState } from '../../src/index.js';
import { nextEvent, nodeSpec, startSupervisor, until, within } from '../helpers/index.js';

t.test(
  'by default 2 x os.availableParallelism() children are between spawn and ready at once, and the next one waits',
  async (t) => {
    const limit = 2 * availableParallelism();
    const sup = await startSupervisor(t);
    // Children that hold their slot until told "go"; they are counted once they wait for it.
    const waiting: Child[] = [];
    sup.on('child', (child) => {
      child.on('log', ({ message }) => message === 'waiting for go' && waiting.push(child));
    });
    const spawns = Array.from({ length: limit + 1 }, (_, i) => sup.spawn(nodeSpec(`c${i}`, 'ready-when-told.cjs')));
    // Should the test fail early, teardown's shutdown rejects the unfinished spawns with STOPPED.
    for (const spawn of spawns) spawn.catch(() => undefined);
    const children = [...sup.children.values()];
    await until(() => waiting.length >= limit, 20_000, `${limit} children to connect and wait for "go"`);

    const spawned = children.filter((child) => child.pid !== undefined);
    t.equal(spawned.length, limit, `${limit} of ${limit + 1} have a process`);
    const queued = children.find((child) => child.pid === undefined);
    if (queued === undefined) return void t.fail(`no child waits for a slot: the default limit is not ${limit}`);
    t.equal(queued.id, `c${limit}`, 'the last one asked waits');
    t.match(queued.state, {
      kind: 'starting',
      reason: new RegExp(`waiting for a start slot \\(maxConcurrentStarts is ${limit}\\)`),
    });

    // One start ends: its slot goes to the waiting child, which then gets a process.
    const gotPid = nextEvent<[ChildState]>(queued, 'state', `child "c${limit}" to be spawned`, {
      filter: (s) => s.kind === 'starting' && s.pid !== undefined,
    });
    await waiting[0]!.sendNotification('go');
    await gotPid;
    t.equal(
      children.filter((child) => child.state.kind === 'starting' && child.pid !== undefined).length,
      limit,
      `still ${limit} between spawn and ready`,
    );

    for (const child of children)
      if (child !== waiting[0])
        await until(() => waiting.includes(child), 20_000, `child "${child.id}" to wait for "go"`);
    for (const child of waiting.slice(1)) await child.sendNotification('go');
    const ready = await within(Promise.all(spawns), 'every child to be ready');
    t.ok(
      ready.every((child) => child.state.kind === 'running'),
      'all ready',
    );
  },
);
