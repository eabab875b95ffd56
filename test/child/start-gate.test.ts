import t, { type Test } from 'tap';
import { once } from 'node:events';
import { Supervisor, type Child, type ChildSpec, type ChildState } from '../../src/index.js';
import { nodeSpec, pidAlive, recordLives, startSupervisor } from '../helpers/index.js';

/**
 * Fails the test if it is still waiting after 30 s: a leaked slot shows as a start that
 * never comes, and tap's per-test timeout option does not end a test run this way.
 */
function bounded(body: (t: Test) => Promise<void>): (t: Test) => Promise<void> {
  return async (t) => {
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('still waiting after 30 s: a start slot was probably never given back')),
        30_000,
      );
    });
    try {
      await Promise.race([body(t), stuck]);
    } finally {
      clearTimeout(timer);
    }
  };
}

const plainSpec = (id: string): ChildSpec => ({
  id,
  command: process.execPath,
  args: ['-e', 'setInterval(() => {}, 1 << 30)'],
  connect: 'none',
});

/** Counts children between spawn and ready (state `starting` with a pid), and the most at once. */
function countStarts(sup: Supervisor): { now: number; most: number } {
  const counts = { now: 0, most: 0 };
  sup.on('child', (child) => {
    let inFlight = false;
    child.on('state', (state) => {
      const spawnedNotReady = state.kind === 'starting' && state.pid !== undefined;
      if (spawnedNotReady && !inFlight) {
        counts.now++;
        counts.most = Math.max(counts.most, counts.now);
      } else if (!spawnedNotReady && inFlight) {
        counts.now--;
      }
      inFlight = spawnedNotReady;
    });
  });
  return counts;
}

/** Resolves when the child (a ready-when-told.cjs) has connected and waits to be told "go". */
function waitingForGo(child: Child): Promise<void> {
  return new Promise((resolve) => {
    const onLog = ({ message }: { message: string }): void => {
      if (message !== 'waiting for go') return;
      child.off('log', onLog);
      resolve();
    };
    child.on('log', onLog);
  });
}

/** Resolves with the child's next state that matches. */
function nextState(child: Child, matches: (state: ChildState) => boolean): Promise<ChildState> {
  return new Promise((resolve) => {
    const onState = (state: ChildState): void => {
      if (!matches(state)) return;
      child.off('state', onState);
      resolve(state);
    };
    child.on('state', onState);
  });
}

/**
 * Tells ready-when-told children "go" one at a time, and only once `limit` of them wait (or
 * no other child is queued for a slot), so the gate is kept full while they start.
 */
function tellGoWhenFull(sup: Supervisor, limit: number): void {
  const waiting: Child[] = [];
  const queued = (): number =>
    [...sup.children.values()].filter((child) => child.state.kind === 'starting' && child.state.pid === undefined)
      .length;
  const pump = (): void => {
    while (waiting.length > 0 && (waiting.length >= limit || queued() === 0)) {
      void (waiting.shift() as Child).sendNotification('go');
    }
  };
  sup.on('child', (child) => {
    child.on('log', ({ message }) => {
      if (message !== 'waiting for go') return;
      waiting.push(child);
      pump();
    });
    child.on('ready', pump);
  });
}

t.test(
  'with maxConcurrentStarts 2, never more than 2 of 6 children are between spawn and ready, first starts and restarts alike',
  bounded(async (t) => {
    const sup = await startSupervisor(t, { maxConcurrentStarts: 2 });
    const counts = countStarts(sup);
    tellGoWhenFull(sup, 2);
    const spec = (id: string): ChildSpec =>
      nodeSpec(id, 'ready-when-told.cjs', { restart: 'always', backoff: { initial: 0, max: 0, jitter: 0 } });
    const children = await Promise.all(Array.from({ length: 6 }, (_, i) => sup.spawn(spec(`c${i}`))));
    t.equal(counts.most, 2, 'two at a time, and the gate was full');
    t.ok(children.every((child) => child.state.kind === 'running'));

    // All six die in one turn: their restarts go through the same gate.
    counts.most = 0;
    const readyAgain = Promise.all(children.map((child) => once(child, 'ready')));
    for (const child of children) process.kill(child.pid as number, 'SIGKILL');
    await readyAgain;
    t.equal(counts.most, 2, 'restarts too, two at a time');
    t.equal(counts.now, 0);
  }),
);

t.test(
  'a child stopped while queued rejects with STOPPED, never spawns, and leaves the queue',
  bounded(async (t) => {
    const sup = await startSupervisor(t, { maxConcurrentStarts: 1 });
    const lives = recordLives(sup);
    const holding = sup.spawn(nodeSpec('holder', 'ready-when-told.cjs'));
    const holder = sup.get('holder') as Child;
    await waitingForGo(holder);

    const queuedSpawn = sup.spawn(nodeSpec('queued', 'only-ready.cjs'));
    const queued = sup.get('queued') as Child;
    const state = await nextState(queued, (s) => s.kind === 'starting');
    t.equal(state.kind === 'starting' && state.pid, undefined, 'queued children stay in starting, with no pid');
    t.match(state.reason, /waiting for a start slot \(maxConcurrentStarts is 1\)/);

    const stopped = await queued.stop();
    t.equal(stopped.termination, 'indeterminate', 'there was no process to stop');
    await t.rejects(queuedSpawn, {
      code: 'STOPPED',
      message: /child "queued" was stopped while waiting for a start slot; it was never spawned/,
    });
    t.same(lives.get('queued')?.pids, [], 'nothing was spawned');
    t.equal(sup.get('queued'), undefined);

    // Stopping the holder frees its slot; the stopped child's old place in the queue must
    // not swallow it, or `next` never starts.
    const nextSpawn = sup.spawn(nodeSpec('next', 'only-ready.cjs'));
    await nextState(sup.get('next') as Child, (s) => s.kind === 'starting');
    await holder.stop();
    await t.rejects(holding, { code: 'STOPPED' });
    const next = await nextSpawn;
    t.equal(next.state.kind, 'running');
  }),
);

t.test(
  'readyTimeout does not tick while a child waits for a slot',
  bounded(async (t) => {
    const sup = await startSupervisor(t, { maxConcurrentStarts: 1 });
    const lives = recordLives(sup);
    // The holder keeps the only slot until its own readyTimeout ends it, longer than the
    // waiter's readyTimeout; a READY_TIMEOUT must give the slot back too.
    const holder = sup.spawn(
      nodeSpec('holder', 'connects-never-ready.cjs', { readyTimeout: 3500, stopTimeout: 500, restart: 'never' }),
    );
    const waiter = sup.spawn(nodeSpec('waiter', 'only-ready.cjs', { readyTimeout: 2500, restart: 'never' }));
    await t.rejects(holder, { code: 'READY_TIMEOUT' });
    await waiter;
    const states = lives.get('waiter')?.states ?? [];
    const queuedAt = states.find((s) => s.kind === 'starting')?.at ?? NaN;
    const spawnedAt = states.find((s) => s.kind === 'starting' && s.reason === 'spawned')?.at ?? NaN;
    t.ok(
      spawnedAt - queuedAt >= 2500,
      `it waited ${spawnedAt - queuedAt} ms for a slot, longer than its readyTimeout, and still started`,
    );
  }),
);

t.test(
  'failed starts give their slot back: SPAWN_FAILED, EXITED_BEFORE_READY',
  bounded(async (t) => {
    const sup = await startSupervisor(t, { maxConcurrentStarts: 1 });
    const missing = sup.spawn({ id: 'missing', command: '/nonexistent/bin/compiler-9.9' });
    const early = sup.spawn(nodeSpec('early-exit', 'exits-before-hello.cjs', { restart: 'never' }));
    const ok = sup.spawn(nodeSpec('ok', 'only-ready.cjs'));
    await t.rejects(missing, { code: 'SPAWN_FAILED' });
    await t.rejects(early, { code: 'EXITED_BEFORE_READY' });
    t.equal((await ok).state.kind, 'running', 'the child queued behind both started');
  }),
);

t.test(
  "connect: 'none' children hold a slot only through the spawn",
  bounded(async (t) => {
    const sup = await startSupervisor(t, { maxConcurrentStarts: 1 });
    const holding = sup.spawn(nodeSpec('holder', 'ready-when-told.cjs'));
    const holder = sup.get('holder') as Child;
    await waitingForGo(holder);
    const plainSpawn = sup.spawn(plainSpec('plain'));
    const queued = await nextState(sup.get('plain') as Child, (s) => s.kind === 'starting');
    t.match(queued.reason, /waiting for a start slot/, 'a plain child waits its turn too');
    await holder.sendNotification('go');
    await holding;
    await plainSpawn;

    const plain = await Promise.all(['p1', 'p2', 'p3'].map((id) => sup.spawn(plainSpec(id))));
    t.ok(
      plain.every((child) => child.pid !== undefined && pidAlive(child.pid)),
      'all spawned while each keeps running',
    );
  }),
);

t.test(
  'maxConcurrentStarts: Infinity lets every child start at once',
  bounded(async (t) => {
    const sup = await startSupervisor(t, { maxConcurrentStarts: Infinity });
    const waits: Promise<void>[] = [];
    sup.on('child', (child) => waits.push(waitingForGo(child)));
    const spawns = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((id) =>
      sup.spawn(nodeSpec(id, 'ready-when-told.cjs')),
    );
    // None is told before all ten wait: with any limit below ten this would never resolve.
    await Promise.all(waits);
    for (const child of sup.children.values()) await child.sendNotification('go');
    const children = await Promise.all(spawns);
    t.ok(
      children.every((child) => child.state.kind === 'running'),
      'all ten ready',
    );
  }),
);

t.test('a bad maxConcurrentStarts is a TypeError that quotes it', async (t) => {
  for (const [value, shown] of [
    [0, '0'],
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    ['4', '"4"'],
  ] as const) {
    await t.rejects(
      Supervisor.start({ maxConcurrentStarts: value as number }),
      new TypeError(`maxConcurrentStarts must be a whole number of at least 1, or Infinity for no limit; got ${shown}`),
    );
  }
});
