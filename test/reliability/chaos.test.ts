import t from 'tap';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Supervisor, isProcwireError, type Child } from '../../src/index.js';
import { nodeSpec, pidAlive, until } from '../helpers/index.js';

const CHILDREN = 30;
const DURATION_MS = Number(process.env.PROCWIRE_CHAOS_MS ?? 30_000);
// Rejections a request may end with while its child is being killed: typed, never silent.
const ALLOWED = new Set(['CONNECTION_CLOSED', 'NOT_CONNECTED', 'TIMEOUT']);

const openFds = (): number => readdirSync('/proc/self/fd').length;

/** Zombies among this process's children: exited, never reaped. */
function zombies(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] === 'Z' && Number(fields[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

t.test(`chaos: ${CHILDREN} daemons, random SIGKILLs and dropped connections for ${DURATION_MS / 1000} s, nothing lost`, { skip: process.platform !== 'linux' && 'counts fds and zombies in /proc', timeout: DURATION_MS + 120_000 }, async (t) => {
  const fdsBefore = openFds();
  const sup = await Supervisor.start();
  t.teardown(() => sup.shutdown());
  const pids = new Map<string, number[]>();
  const ticks = new Map<string, number>();
  sup.on('child', (child) => {
    pids.set(child.id, []);
    ticks.set(child.id, 0);
    child.on('state', (state) => state.kind === 'starting' && state.pid !== undefined && pids.get(child.id)!.push(state.pid));
    child.onNotification('tick', () => ticks.set(child.id, ticks.get(child.id)! + 1));
  });
  const children = await Promise.all(
    Array.from({ length: CHILDREN }, (_, i) =>
      sup.spawn(nodeSpec(`daemon-${i}`, 'chaos-child.cjs', { restart: 'always', maxRestarts: 100_000, backoff: { initial: 20, max: 200 } })),
    ),
  );

  const kills = new Map<string, number>(children.map((c) => [c.id, 0]));
  const drops = new Map<string, number>(children.map((c) => [c.id, 0]));
  // One action per child at a time, so that every action is exactly one restart.
  const busy = new Set<string>();
  for (const child of children) child.on('ready', () => busy.delete(child.id));
  const requests: Promise<void>[] = [];
  const outcomes = { answered: 0, wrong: 0, rejected: new Map<string, number>(), untyped: 0 };
  let sent = 0;
  const random = (list: Child[]): Child => list[Math.floor(Math.random() * list.length)]!;

  const deadline = Date.now() + DURATION_MS;
  while (Date.now() < deadline) {
    for (let i = 0; i < 5; i++) {
      // Callers ask children that are up; the ones killed under them must still get an answer or a typed error.
      const child = random(children.filter((c) => c.state.kind === 'running'));
      if (child === undefined) break;
      const n = sent++;
      requests.push(
        child.sendRequest<{ n: number }>('req', { n }, { timeout: 5000 }).then(
          (answer) => void (answer.n === n ? outcomes.answered++ : outcomes.wrong++),
          (error: unknown) => {
            if (isProcwireError(error) && ALLOWED.has(error.code)) outcomes.rejected.set(error.code, (outcomes.rejected.get(error.code) ?? 0) + 1);
            else outcomes.untyped++;
          },
        ),
      );
    }
    const victim = random(children.filter((c) => c.state.kind === 'running' && !busy.has(c.id)));
    if (victim !== undefined) {
      busy.add(victim.id);
      if (Math.random() < 0.8) {
        kills.set(victim.id, kills.get(victim.id)! + 1);
        process.kill(victim.pid!, 'SIGKILL');
      } else {
        drops.set(victim.id, drops.get(victim.id)! + 1);
        void victim.sendRequest('drop-connection').catch(() => undefined);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 40)); // the driver's pace, not a wait for a result
  }
  await Promise.all(requests);
  await until(() => busy.size === 0 && children.every((c) => c.state.kind === 'running'), 30_000, 'every daemon to be running again');

  const totalKills = [...kills.values()].reduce((a, b) => a + b, 0);
  const totalDrops = [...drops.values()].reduce((a, b) => a + b, 0);
  const totalTicks = [...ticks.values()].reduce((a, b) => a + b, 0);
  t.comment(`kills ${totalKills}, dropped connections ${totalDrops}, requests ${sent} (answered ${outcomes.answered}, rejected ${JSON.stringify(Object.fromEntries(outcomes.rejected))}), ticks received ${totalTicks}`);
  t.equal(outcomes.answered + [...outcomes.rejected.values()].reduce((a, b) => a + b, 0), sent, 'every request settled once');
  t.equal(outcomes.wrong, 0, 'no request got another request’s answer');
  t.equal(outcomes.untyped, 0, 'every rejection was a typed ProcwireError');
  t.ok(outcomes.answered > 0, 'requests were answered while the chaos went on');
  for (const child of children) {
    t.equal(child.restarts, kills.get(child.id)! + drops.get(child.id)!, `${child.id}: restarts match kills and drops`);
    t.same(pids.get(child.id)!.filter(pidAlive), [child.pid], `${child.id}: one live process`);
  }
  t.ok(totalKills > CHILDREN, 'the chaos did happen');

  const socketDir = dirname(sup.address);
  await sup.shutdown();
  t.notOk(existsSync(socketDir), 'no socket file or directory left');
  t.same(zombies(), [], 'no zombie children');
  const settled = await until(() => openFds() <= fdsBefore, 5000, 'file descriptors back to the start').then(() => true, () => false);
  t.ok(settled, `file descriptors: ${fdsBefore} before, ${openFds()} after`);
  for (const list of pids.values()) t.same(list.filter(pidAlive), [], 'no daemon process left');
});
