import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Test } from 'tap';
import type { Child, CycleEvent, Supervisor } from '../../src/index.js';
import { nextEvent, startSupervisor, until, within, EVENT_WAIT_MS } from '../helpers/index.js';

// The real TypeScript compilers from npm, unmodified (test/compilers/package.json pins them
// under aliases): each runs once without and once with --pretty (colour, `file:line:col - `),
// and once in --watch mode, where fixing one file clears that file only at the next cycle's end.

const compilers = fileURLToPath(new URL('../compilers/node_modules/', import.meta.url));
const VERSIONS = [
  { alias: 'typescript-5', major: '5.' },
  { alias: 'typescript-4', major: '4.9.' },
];

// The ES5 library alone and no checking of it: a compile then costs about 0.5 s of CPU, not 3.
const FAST = ['--strict', '--noEmit', '--lib', 'es5', '--skipLibCheck'];

const A_BROKEN = "export const a: number = 'one';\n";
const A_FIXED = 'export const a: number = 1;\n';
const B_BROKEN =
  "import { a } from './a';\n\nexport const b: string = a;\nexport function f() {\n  return missing;\n}\n";

function project(t: Test): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-tsc-')));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.ts'), A_BROKEN);
  writeFileSync(join(dir, 'b.ts'), B_BROKEN);
  return dir;
}

async function spawnTsc(sup: Supervisor, id: string, tsc: string, dir: string, extra: object): Promise<Child> {
  let child: Child | undefined;
  const listener = (c: Child) => {
    if (c.id === id) child = c;
  };
  sup.on('child', listener);
  const spec = { id, command: process.execPath, cwd: dir, connect: 'none' as const, restart: 'never' as const };
  await sup.spawn({ ...spec, ...extra, args: [tsc, ...FAST, ...(extra as { args: string[] }).args] });
  sup.off('child', listener);
  return child as Child;
}

// "line:character code severity" of each diagnostic, per file name.
function summary(child: Child, dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [file, list] of child.diagnostics) {
    out[file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file] = list.map(
      (d) => `${d.range.start.line}:${d.range.start.character} TS${d.code} ${d.severity} ${d.source}`,
    );
  }
  return out;
}

const BOTH = { 'a.ts': ['0:13 TS2322 1 ts'], 'b.ts': ['2:13 TS2322 1 ts', '4:9 TS2304 1 ts'] };

for (const { alias, major } of VERSIONS) {
  const tsc = join(compilers, alias, 'bin', 'tsc');
  t.test(
    `${alias}: one-shot plain and pretty, then --watch`,
    { skip: !existsSync(tsc) && `${tsc} is missing: npm ci` },
    async (t) => {
      const { version } = JSON.parse(readFileSync(join(compilers, alias, 'package.json'), 'utf8')) as {
        version: string;
      };
      t.ok(version.startsWith(major), `${alias} is TypeScript ${version}`);
      const sup = await startSupervisor(t);
      const dir = project(t);

      // Both at once: two cores.
      const oneShot = async (pretty: string) => {
        const exited = new Promise<Child>((resolve) =>
          sup.on('child', (c) => c.id === `once-${pretty}` && c.once('exit', () => resolve(c))),
        );
        await spawnTsc(sup, `once-${pretty}`, tsc, dir, {
          args: ['--pretty', pretty, 'a.ts', 'b.ts'],
          matchers: ['$tsc'],
        });
        const child = await within(exited, `tsc --pretty ${pretty} to end`);
        await until(() => child.diagnostics.size === 2, EVENT_WAIT_MS, `the diagnostics of --pretty ${pretty}`);
        t.same(summary(child, dir), BOTH, `--pretty ${pretty}: absolute paths, 0-based positions, codes, severities`);
        t.match(child.diagnostics.get(join(dir, 'b.ts'))?.[1]?.message, /^Cannot find name 'missing'\.$/);
      };
      await Promise.all([oneShot('false'), oneShot('true')]);

      // Plain for one version, pretty (with its screen clears) for the other: both must work.
      const args = ['--watch', ...(major === '5.' ? ['--pretty', 'true'] : ['--pretty', 'false']), 'a.ts', 'b.ts'];
      const cycles: CycleEvent[] = [];
      sup.on('child', (c) => c.id === 'watch' && c.on('cycle', (event) => cycles.push(event)));
      const watch = await spawnTsc(sup, 'watch', tsc, dir, { args, matchers: ['$tsc-watch'], readyWhen: 'cycle' });
      t.match(
        cycles,
        [{ phase: 'start' }, { phase: 'end', errors: 3, warnings: 0, files: 2 }],
        'ready at the first cycle',
      );
      t.same(summary(watch, dir), BOTH);

      const second = nextEvent<[CycleEvent]>(watch, 'cycle', 'the cycle after the fix', {
        filter: (e) => e.phase === 'end',
      });
      writeFileSync(join(dir, 'a.ts'), A_FIXED);
      const [end] = await second;
      t.match(end, { phase: 'end', errors: 2, warnings: 0, files: 1 });
      t.same(summary(watch, dir), { 'b.ts': BOTH['b.ts'] }, 'a.ts cleared, b.ts kept');
    },
  );
}

t.test(
  "$tsc-watch: a cycle with errors that name no file is not clean (tsc's own count is taken)",
  { skip: !existsSync(join(compilers, 'typescript-5', 'bin', 'tsc')) && 'typescript-5 is missing: npm ci' },
  async (t) => {
    const sup = await startSupervisor(t);
    const dir = project(t);
    // TS6053 ("File '…/missing.ts' not found") is printed without a file location, as tsc does.
    const options = { noEmit: true, strict: true, lib: ['es5'], skipLibCheck: true };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: options, files: ['a.ts', 'missing.ts'] }),
    );
    const cycles: CycleEvent[] = [];
    sup.on('child', (c) => c.on('cycle', (event) => cycles.push(event)));
    const tsc = join(compilers, 'typescript-5', 'bin', 'tsc');
    const spec = {
      id: 'tsc',
      command: process.execPath,
      cwd: dir,
      connect: 'none' as const,
      restart: 'never' as const,
    };
    const watch = await sup.spawn({
      ...spec,
      args: [tsc, '--watch', '--pretty', 'false', '-p', '.'],
      matchers: ['$tsc-watch'],
      readyWhen: 'cycle',
    });
    t.match(cycles.at(-1), { phase: 'end', errors: 1, unlocated: 1, warnings: 0, files: 0 }, 'TS6053 counts');
    t.equal(watch.diagnostics.size, 0, 'and no file holds it');

    const second = nextEvent<[CycleEvent]>(watch, 'cycle', 'the cycle after missing.ts appears', {
      filter: (e) => e.phase === 'end',
    });
    writeFileSync(join(dir, 'missing.ts'), 'export {};\n');
    const [end] = await second;
    t.match(end, { phase: 'end', errors: 1, files: 1 }, "now a.ts's own error");
    t.notOk('unlocated' in end, 'every error has its file');
  },
);
