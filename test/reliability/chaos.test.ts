import t from 'tap';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Supervisor, isProcwireError, type Child } from '../../src/index.js';
import { EVENT_WAIT_MS, nodeSpec, seeProcess, type SeenProcess, stillRuns, until } from '../helpers/index.js';

const CHILDREN = 30;
const DURATION_MS = Number(process.env.PROCWIRE_CHAOS_MS ?? 30_000);
// Rejections a request may end with when its child is killed or drops its connection
// while the request is open: typed, never silent. Any other request must be answered.
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

t.test(
  `chaos: ${CHILDREN} daemons, random SIGKILLs and dropped connections for ${DURATION_MS / 1000} s, nothing lost`,
  { skip: process.platform !== 'linux' && 'counts fds and zombies in /proc', timeout: DURATION_MS + 120_000 },
  async (t) => {
    const fdsBefore = openFds();
    const sup = await Supervisor.start();
    t.teardown(() => sup.shutdown());
    const processes = new Map<string, SeenProcess[]>();
    const ticks = new Map<string, number>();
    // Checked each time a process appears, not only at the end: a restart that overlapped its
    // predecessor for a moment would be gone by then.
    const overlaps: string[] = [];
    sup.on('child', (child) => {
      processes.set(child.id, []);
      ticks.set(child.id, 0);
      child.on('state', (state) => {
        if (state.kind !== 'starting' || state.pid === undefined) return;
        const earlier = processes.get(child.id)!;
        const live = earlier.filter(stillRuns);
        if (live.length > 0)
          overlaps.push(`${child.id}: pid ${state.pid} spawned while ${live.map((p) => p.pid).join(', ')} still ran`);
        earlier.push(seeProcess(state.pid));
      });
      child.onNotification('tick', () => ticks.set(child.id, ticks.get(child.id)! + 1));
    });
    const children = await Promise.all(
      Array.from({ length: CHILDREN }, (_, i) =>
        sup.spawn(
          nodeSpec(`daemon-${i}`, 'chaos-child.cjs', {
            restart: 'always',
            maxRestarts: 100_000,
            backoff: { initial: 20, max: 200 },
          }),
        ),
      ),
    );

    const kills = new Map<string, number>(children.map((c) => [c.id, 0]));
    const drops = new Map<string, number>(children.map((c) => [c.id, 0]));
    const incidents = (id: string): number => kills.get(id)! + drops.get(id)!;
    // One action per child at a time, so that every action is exactly one restart.
    const busy = new Set<string>();
    for (const child of children) child.on('ready', () => busy.delete(child.id));
    const requests: Promise<void>[] = [];
    const outcomes = {
      answered: 0,
      wrong: 0,
      rejected: new Map<string, number>(),
      untyped: 0,
      unexplained: [] as string[],
    };
    let sent = 0;
    let lingered = 0;
    const random = (list: Child[]): Child => list[Math.floor(Math.random() * list.length)]!;

    const deadline = Date.now() + DURATION_MS;
    while (Date.now() < deadline) {
      for (let i = 0; i < 5; i++) {
        // Callers ask children that are up and not already being killed or dropped, so that a
        // failed request is one whose child was killed or dropped while the request was open.
        const child = random(children.filter((c) => c.state.kind === 'running' && !busy.has(c.id)));
        if (child === undefined) break;
        const n = sent++;
        const incidentsBefore = incidents(child.id);
        requests.push(
          // A request's time limit is generous: on a loaded machine answers queue behind ticks, and a
          // TIMEOUT is counted as a failure unless the child was killed or dropped meanwhile.
          child.sendRequest<{ n: number }>('req', { n }, { timeout: EVENT_WAIT_MS }).then(
            (answer) => void (answer.n === n ? outcomes.answered++ : outcomes.wrong++),
            (error: unknown) => {
              if (!isProcwireError(error) || !ALLOWED.has(error.code)) outcomes.untyped++;
              else if (incidents(child.id) === incidentsBefore)
                outcomes.unexplained.push(`request ${n} to ${child.id}: ${error.message}`);
              else outcomes.rejected.set(error.code, (outcomes.rejected.get(error.code) ?? 0) + 1);
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
          // Half of them keep running without their connection until the parent signals them
          // (after stopTimeout), so a restart must wait for the process, not for the connection.
          const linger = Math.random() < 0.5;
          if (linger) lingered++;
          void victim.sendRequest('drop-connection', { linger }).catch(() => undefined);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 40)); // the driver's pace, not a wait for a result
    }
    await Promise.all(requests);
    await until(
      () => busy.size === 0 && children.every((c) => c.state.kind === 'running'),
      30_000,
      'every daemon to be running again',
    ).catch((error: Error) => {
      const behind = children
        .filter((c) => c.state.kind !== 'running' || busy.has(c.id))
        .map((c) => `${c.id} ${c.state.kind} (${c.state.reason})`);
      throw new Error(`${error.message}; still not back: ${behind.join('; ')}`);
    });

    const totalKills = [...kills.values()].reduce((a, b) => a + b, 0);
    const totalDrops = [...drops.values()].reduce((a, b) => a + b, 0);
    const totalTicks = [...ticks.values()].reduce((a, b) => a + b, 0);
    t.comment(
      `kills ${totalKills}, dropped connections ${totalDrops} (${lingered} of them lingering), requests ${sent} (answered ${outcomes.answered}, rejected ${JSON.stringify(Object.fromEntries(outcomes.rejected))}), ticks received ${totalTicks}`,
    );
    const rejected = [...outcomes.rejected.values()].reduce((a, b) => a + b, 0);
    t.equal(
      outcomes.answered + rejected + outcomes.untyped + outcomes.unexplained.length,
      sent,
      'every request settled once',
    );
    t.equal(outcomes.wrong, 0, 'no request got another request’s answer');
    t.equal(outcomes.untyped, 0, 'every rejection was a typed ProcwireError');
    t.same(
      outcomes.unexplained.slice(0, 5),
      [],
      `only requests whose child was killed or dropped while they were open failed (${outcomes.unexplained.length} others did)`,
    );
    t.ok(outcomes.answered > 0, 'requests were answered while the chaos went on');
    for (const child of children) {
      t.equal(
        child.restarts,
        kills.get(child.id)! + drops.get(child.id)!,
        `${child.id}: restarts match kills and drops`,
      );
      t.same(
        processes
          .get(child.id)!
          .filter(stillRuns)
          .map((p) => p.pid),
        [child.pid],
        `${child.id}: one live process`,
      );
    }
    t.same(
      overlaps.slice(0, 5),
      [],
      `no id ever had two live processes, checked at each of ${[...processes.values()].flat().length} spawns (${overlaps.length} overlaps)`,
    );
    t.ok(totalKills > CHILDREN, 'the chaos did happen');

    const socketDir = dirname(sup.address);
    await sup.shutdown();
    t.notOk(existsSync(socketDir), 'no socket file or directory left');
    t.same(zombies(), [], 'no zombie children');
    const settled = await until(() => openFds() <= fdsBefore, 5000, 'file descriptors back to the start').then(
      () => true,
      () => false,
    );
    t.ok(settled, `file descriptors: ${fdsBefore} before, ${openFds()} after`);
    for (const list of processes.values()) t.same(list.filter(stillRuns), [], 'no daemon process left');
  },
);
