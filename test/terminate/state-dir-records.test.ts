import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../../src/index.js';
import { exitOf, firstLine, fixture, killAtTeardown, pidAlive } from '../helpers/index.js';

// Forged and hostile entries in a stateDir. Every decoy here is a process the test spawned:
// a reaper that trusted a record would kill only the decoy, which the test then finds dead.

const linuxOnly = { skip: process.platform !== 'linux' && 'orphan recovery checks /proc, which only Linux has' };
// A pid above every real pid_max default, so no supervisor runs there.
const DEAD_SUPERVISOR = 4194303;

interface Teardown {
  teardown(fn: () => unknown): void;
}

function stateDir(t: Teardown): string {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function startOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  if (start === undefined) throw new Error(`no start time in /proc/${pid}/stat`);
  return start;
}

const bootId = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** A process like a supervised child: its own session and group leader, killed when the test ends. */
function spawnDecoy(t: Teardown): ChildProcess & { pid: number } {
  const decoy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { detached: true, stdio: 'ignore' });
  t.teardown(() => decoy.kill('SIGKILL'));
  if (decoy.pid === undefined) throw new Error('the decoy did not spawn');
  return decoy as ChildProcess & { pid: number };
}

/** Writes what a dead supervisor's journal would hold for `pid`, with real start time and boot unless overridden. */
function forgeRecord(dir: string, pid: number, extra: object = {}): string {
  const file = join(dir, `child-${DEAD_SUPERVISOR}-${pid}.json`);
  const record = {
    supervisorPid: DEAD_SUPERVISOR,
    supervisorStart: '1',
    bootId: bootId(),
    id: 'forged',
    pid,
    start: startOf(pid),
    command: 'forged',
    ...extra,
  };
  writeFileSync(file, JSON.stringify(record));
  return file;
}

/** Runs test/fixtures/reaps-state-dir.mjs under a 2 GB address-space limit, so a reader that follows /dev/zero fails fast. */
async function reapInSubprocess(
  t: Teardown,
  dir: string,
  ...args: string[]
): Promise<{ output: { reaped: unknown[]; peakGrowthKiB: number }; exit: Awaited<ReturnType<typeof exitOf>> }> {
  const child = spawn(
    'sh',
    ['-c', 'ulimit -v 2000000 && exec "$0" "$@"', process.execPath, fixture('reaps-state-dir.mjs'), dir, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
      // The fixture is plain JavaScript on dist/; the test runner's loaders would need more room than the limit leaves.
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  t.teardown(() => child.kill('SIGKILL'));
  // A reader that blocks on a FIFO never prints: bound the wait, then fail.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the supervisor did not start within 15 s')), 15_000);
  });
  try {
    const line = await Promise.race([firstLine(child.stdout!), deadline]);
    return {
      output: JSON.parse(line) as { reaped: unknown[]; peakGrowthKiB: number },
      exit: await Promise.race([exitOf(child), deadline]),
    };
  } finally {
    clearTimeout(timer);
  }
}

function pythonProblem(): string | false {
  if (process.platform !== 'linux') return 'orphan recovery checks /proc, which only Linux has';
  const probe = spawnSync('python3', ['--version']);
  return probe.error !== undefined && `python3 is not on PATH (${probe.error.message}); the fixture needs setpgid`;
}

function namespaceProblem(): string | false {
  if (process.platform !== 'linux') return 'orphan recovery checks /proc, which only Linux has';
  const usable = spawnSync('unshare', [
    '--user',
    '--map-root-user',
    '--pid',
    '--fork',
    '--mount-proc',
    'setsid',
    'true',
  ]);
  if (usable.error === undefined && usable.status === 0) return false;
  return `unshare cannot make a user + PID namespace here (${usable.error?.message ?? String(usable.stderr).trim()}); without one, testing pid 1 could signal the whole machine`;
}

t.test(
  'a record naming a live process that leads no group is not acted on: its old group is never signalled',
  { skip: pythonProblem() },
  async (t) => {
    const dir = stateDir(t);
    const maker = spawn('python3', [fixture('leaves-its-group.py')], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.teardown(() => maker.kill('SIGKILL'));
    const { p, q, r } = JSON.parse(await firstLine(maker.stdout!)) as { p: number; q: number; r: number };
    for (const pid of [q, r]) killAtTeardown(t, pid);
    forgeRecord(dir, p);

    const sup = await Supervisor.start({ stateDir: dir });
    t.teardown(() => sup.shutdown());
    t.same(sup.reaped, [], 'nothing reaped');
    t.ok(pidAlive(q), 'the other member of group -p was not signalled');
    t.ok(pidAlive(p), 'p itself was not signalled');
    t.ok(pidAlive(r), 'nor was the group p joined');
  },
);

t.test(
  'a record from another boot is stale: removed, and the process now at its pid is not killed',
  linuxOnly,
  async (t) => {
    const dir = stateDir(t);
    const other = spawnDecoy(t);
    const same = spawnDecoy(t);
    const stale = forgeRecord(dir, other.pid, { bootId: '00000000-1111-2222-3333-444444444444' });
    forgeRecord(dir, same.pid);

    const sup = await Supervisor.start({ stateDir: dir });
    t.teardown(() => sup.shutdown());
    t.ok(pidAlive(other.pid), 'the process matching a record of another boot survives');
    t.notOk(existsSync(stale), 'the stale record is removed');
    // The control: the same forged record, but of this boot, is trusted (so the one above was refused for its boot id).
    t.same(
      sup.reaped,
      [{ id: 'forged', pid: same.pid, command: 'forged', termination: 'escalated' }],
      'only the record of this boot was acted on',
    );
    t.notOk(pidAlive(same.pid));
  },
);

t.test('a record naming the supervisor itself is refused: it does not signal its own group', linuxOnly, async (t) => {
  const dir = stateDir(t);
  const { output, exit } = await reapInSubprocess(t, dir, 'names-itself');
  t.same(output.reaped, [], 'nothing reaped');
  t.same(exit, { code: 0, signal: null }, 'the supervisor exited by itself after shutdown');
  t.same(readdirSync(dir), [], 'the record naming it is removed');
});

t.test(
  'a record for pid 1 with its real start time is refused (run as pid 1 of a private PID namespace)',
  { skip: namespaceProblem() },
  async (t) => {
    const dir = stateDir(t);
    const ns = spawn(
      'unshare',
      [
        '--user',
        '--map-root-user',
        '--pid',
        '--fork',
        '--mount-proc',
        'setsid',
        'sh',
        fixture('forges-a-record-for-init.sh'),
        dir,
        process.execPath,
        fixture('reaps-state-dir.mjs'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.teardown(() => ns.kill('SIGKILL'));
    let out = '';
    ns.stdout!.on('data', (chunk: Buffer) => (out += String(chunk)));
    t.same(await exitOf(ns), { code: 0, signal: null });
    const [reap, decoy] = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reaped?: unknown[]; decoy?: string });
    t.same(reap?.reaped, [], 'nothing reaped');
    t.ok(
      decoy?.decoy === 'S' || decoy?.decoy === 'R',
      `the namespace's other process survived (state ${decoy?.decoy})`,
    );
    t.same(readdirSync(dir), [], 'the forged record is removed');
  },
);

t.test('a record file that is not ours or is too large is left alone and not trusted', linuxOnly, async (t) => {
  const dir = stateDir(t);
  const big = spawnDecoy(t);
  const bigFile = forgeRecord(dir, big.pid, { command: 'x'.repeat(5000) });
  const cases = [{ decoy: big, file: bigFile, what: 'a record over 4 KiB' }];
  if (process.getuid?.() === 0) {
    const foreign = spawnDecoy(t);
    const foreignFile = forgeRecord(dir, foreign.pid);
    chownSync(foreignFile, 65534, 65534);
    cases.push({ decoy: foreign, file: foreignFile, what: 'a record owned by another user' });
  } else {
    t.comment('not root: cannot give a record to another user, so only the size limit is checked');
  }
  const sup = await Supervisor.start({ stateDir: dir });
  t.teardown(() => sup.shutdown());
  t.same(sup.reaped, []);
  for (const { decoy, file, what } of cases) {
    t.ok(pidAlive(decoy.pid), `the process named by ${what} survives`);
    t.ok(existsSync(file), `${what} is left in place`);
  }
});

t.test('a FIFO with a record name neither hangs the start nor is touched', linuxOnly, async (t) => {
  const dir = stateDir(t);
  const fifo = join(dir, `child-${DEAD_SUPERVISOR}-4242.json`);
  const made = spawnSync('mkfifo', [fifo]);
  t.equal(made.status, 0, `mkfifo made the FIFO ${String(made.stderr ?? '').trim()}`);
  const { output } = await reapInSubprocess(t, dir);
  t.same(output.reaped, []);
  t.ok(existsSync(fifo), 'the FIFO is left alone');
});

t.test(
  'a symlink to /dev/zero with a record name is not followed: bounded memory, left alone',
  linuxOnly,
  async (t) => {
    const dir = stateDir(t);
    const link = join(dir, `child-${DEAD_SUPERVISOR}-4243.json`);
    symlinkSync('/dev/zero', link);
    const { output } = await reapInSubprocess(t, dir);
    t.same(output.reaped, []);
    t.ok(output.peakGrowthKiB < 32 * 1024, `peak RSS grew by ${output.peakGrowthKiB} KiB while reaping (under 32 MiB)`);
    t.same(readdirSync(dir), [link.slice(dir.length + 1)], 'the link is left alone');
  },
);
