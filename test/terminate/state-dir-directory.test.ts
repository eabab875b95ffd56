import t from 'tap';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../../src/index.js';

// What a stateDir may be, and what procwire does to the files in it.

const posixOnly = { skip: process.platform === 'win32' && 'Windows has no owner or mode bits to check' };

function scratch(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Supervisor.start that shuts down a supervisor it should not have started, so a failing test still ends. */
async function start(stateDir: string): Promise<void> {
  const sup = await Supervisor.start({ stateDir });
  await sup.shutdown();
}

const modeOf = (path: string): number => statSync(path).mode & 0o7777;

t.test('files that procwire did not name are never touched', async (t) => {
  // As when stateDir points at a project folder by mistake.
  const dir = scratch(t);
  const files: Record<string, string> = {
    'package.json': '{"name":"app"}',
    'tsconfig.json': '{}',
    'notes.json': 'not json at all',
    'child-old.json': '{"pid":12345}',
    'child-1-2.json.bak': '{}',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const sup = await Supervisor.start({ stateDir: dir });
  t.teardown(() => sup.shutdown());
  t.same(readdirSync(dir).sort(), Object.keys(files).sort(), 'every file is still there');
  for (const [name, text] of Object.entries(files))
    t.equal(readFileSync(join(dir, name), 'utf8'), text, `${name} is unchanged`);
});

t.test("a record's temporary file is removed once a minute old, as a killed writer leaves it", posixOnly, async (t) => {
  const dir = scratch(t);
  // A supervisor SIGKILLed between writing a record's temporary file and renaming it.
  const abandoned = join(dir, 'child-123-456.json.0123456789abcdef.tmp');
  const inFlight = join(dir, 'child-123-457.json.fedcba9876543210.tmp');
  writeFileSync(abandoned, '{"pid":');
  writeFileSync(inFlight, '{"pid":');
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  utimesSync(abandoned, twoMinutesAgo, twoMinutesAgo);
  await start(dir);
  t.notOk(existsSync(abandoned), 'the abandoned one is gone');
  t.ok(existsSync(inFlight), "one written a moment ago (another supervisor's, mid-write) is kept");
});

t.test('a missing stateDir is created private (0700), with its parents', posixOnly, async (t) => {
  const dir = join(scratch(t), 'a', 'state');
  const sup = await Supervisor.start({ stateDir: dir });
  t.teardown(() => sup.shutdown());
  t.equal(modeOf(dir), 0o700);
});

t.test('an existing stateDir that others can write to is refused and left as it was', posixOnly, async (t) => {
  for (const mode of [0o770, 0o777, 0o1777]) {
    const dir = join(scratch(t), 'state');
    mkdirSync(dir);
    chmodSync(dir, mode);
    await t.rejects(
      start(dir),
      {
        name: 'TypeError',
        message: new RegExp(
          `^stateDir "${dir}" is writable by its group or others \\(mode ${mode.toString(8)}\\).*chmod go-w`,
        ),
      },
      `mode ${mode.toString(8)} is refused`,
    );
    t.equal(modeOf(dir), mode, `mode ${mode.toString(8)} is not changed`);
  }
});

t.test('an existing stateDir that is a symlink is refused, and its target is not chmodded', posixOnly, async (t) => {
  const base = scratch(t);
  const target = join(base, 'real');
  mkdirSync(target);
  chmodSync(target, 0o750);
  const link = join(base, 'link');
  symlinkSync(target, link);
  await t.rejects(start(link), { name: 'TypeError', message: new RegExp(`^stateDir "${link}" is a symbolic link`) });
  t.equal(modeOf(target), 0o750, 'the target keeps its mode');
  t.ok(lstatSync(link).isSymbolicLink(), 'the link is left alone');
});

const rootOnly = { skip: process.getuid?.() !== 0 && 'only root can give a directory to another user here' };

t.test('an existing stateDir owned by someone else is refused and left as it was', rootOnly, async (t) => {
  const dir = join(scratch(t), 'state');
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, 65534, 65534);
  chmodSync(dir, 0o755);
  await t.rejects(start(dir), { name: 'TypeError', message: new RegExp(`^stateDir "${dir}" belongs to uid 65534`) });
  t.equal(modeOf(dir), 0o755);
  t.equal(statSync(dir).uid, 65534);
});

t.test('an existing stateDir that is a file is refused', async (t) => {
  const file = join(scratch(t), 'state');
  writeFileSync(file, 'x');
  await t.rejects(start(file), { name: 'TypeError', message: new RegExp(`^stateDir "${file}" is not a directory`) });
});

t.test(
  'a symlink planted at the temp name of a record is not followed',
  { skip: process.platform !== 'linux' && 'predicting the next pids needs /proc' },
  async (t) => {
    const dir = scratch(t);
    const victim = join(scratch(t), 'victim.txt');
    writeFileSync(victim, 'precious');
    // Until the temp name was unpredictable it was child-<supervisor pid>-<child pid>.json.tmp:
    // plant links at it for the next few thousand pids, one of which the child will get.
    const planted = new Set(nextPids(3000));
    for (const pid of planted) symlinkSync(victim, join(dir, `child-${process.pid}-${pid}.json.tmp`));
    const sup = await Supervisor.start({ stateDir: dir });
    t.teardown(() => sup.shutdown());
    const child = await sup.spawn({
      id: 'plain',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1 << 30)'],
      connect: 'none',
    });
    t.ok(planted.has(child.pid!), `the child's pid ${child.pid} was among the planted names`);
    t.equal(readFileSync(victim, 'utf8'), 'precious', 'the file behind the link is unchanged');
    const record = join(dir, `child-${process.pid}-${child.pid}.json`);
    t.ok(lstatSync(record).isFile(), 'the record is a regular file, not the planted link');
    t.match(JSON.parse(readFileSync(record, 'utf8')), { id: 'plain', pid: child.pid });
  },
);

/** The pids Linux hands out next, in order, from the last one it gave. */
function nextPids(count: number): number[] {
  if (process.platform !== 'linux') return [];
  const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  const pids: number[] = [];
  // After pid_max the kernel starts again above the reserved range (300).
  for (let pid = last + 1; pids.length < count; pid = pid + 1 >= max ? 300 : pid + 1) pids.push(pid);
  return pids;
}
