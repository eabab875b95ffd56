import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { exitOf, fixture } from '../helpers/index.js';
import { cli, plainEnv, runCli, writeConfig } from './run-cli.js';

// `procwire run` over the real TypeScript 5 in --watch mode with `$tsc-watch`: diagnostics
// print as compilers print them (each once), every cycle's end is one line, the summary counts
// what the matcher found. The test plays the developer and fixes a file.

const tsc = fileURLToPath(new URL('../compilers/node_modules/typescript-5/bin/tsc', import.meta.url));
const FAST = ['--strict', '--noEmit', '--lib', 'es5', '--skipLibCheck'];

t.test('tsc --watch under procwire run', { skip: !existsSync(tsc) && `${tsc} is missing: npm ci` }, async (t) => {
  const args = [tsc, '--watch', '--preserveWatchOutput', ...FAST, 'a.ts', 'b.ts'];
  const config = writeConfig(t, [
    { id: 'tsc', command: process.execPath, args, connect: 'none', matchers: ['$tsc-watch'], readyWhen: 'cycle' },
  ]);
  const dir = dirname(config);
  writeFileSync(join(dir, 'a.ts'), "export const a: number = 'one';\n");
  writeFileSync(join(dir, 'b.ts'), 'export const b: string = 2;\nexport const c: number = missing;\n');
  const run = runCli(t, ['run', config], { cwd: dir });
  t.teardown(() => run.cleanup());

  await run.waitFor(/^tsc\s+\| cycle: 3 errors, 0 warnings in \d+ ms$/);
  await run.waitFor(/^tsc\s+\| running \(pid \d+\): ready$/);
  t.ok(run.lines.includes("a.ts:1:14 - error TS2322: Type 'string' is not assignable to type 'number'."));
  t.ok(run.lines.includes("b.ts:2:26 - error TS2304: Cannot find name 'missing'."));

  writeFileSync(join(dir, 'a.ts'), 'export const a: number = 1;\n');
  await run.waitFor(/^tsc\s+\| cycle: 2 errors, 0 warnings in \d+ ms$/);
  t.equal(run.lines.filter((line) => line.startsWith('b.ts:')).length, 2, "b.ts's errors, reported twice, print once");

  run.proc.kill('SIGTERM');
  t.same(await exitOf(run.proc), { code: 0, signal: null });
  t.match(run.lines.join('\n'), /\n {2}tsc: stopped \([^)]*\), 0 restarts, 2 errors, 0 warnings\n/);
});

t.test(
  "tsc's errors that name no file: the cycle line, the summary and `wait --for cycle-clean` count them",
  { skip: !existsSync(tsc) && `${tsc} is missing: npm ci` },
  async (t) => {
    const config = writeConfig(t, [
      {
        id: 'tsc',
        command: process.execPath,
        args: [tsc, '--watch', '--preserveWatchOutput', '--pretty', 'false', '-p', '.'],
        connect: 'none',
        matchers: ['$tsc-watch'],
        readyWhen: 'cycle',
      },
    ]);
    const dir = dirname(config);
    writeFileSync(join(dir, 'a.ts'), 'export const a: number = 1;\n');
    // missing.ts does not exist: tsc prints "error TS6053: File '…' not found." with no location.
    const compilerOptions = { noEmit: true, strict: true, lib: ['es5'], skipLibCheck: true };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['a.ts', 'missing.ts'] }));
    const run = runCli(t, ['run', config], { cwd: dir });
    t.teardown(() => run.cleanup());
    await run.waitFor(/^tsc\s+\| cycle: 1 error, 0 warnings in \d+ ms \(1 with no file, in its output above\)$/);
    await run.waitFor(/^tsc\s+\| running \(pid \d+\): ready$/);

    const waitArgs = [cli, 'wait', 'tsc', '--for', 'cycle-clean', '--timeout', '1s', '--config', config];
    const env = plainEnv({ XDG_RUNTIME_DIR: run.runtimeDir });
    const wait = spawnSync(process.execPath, waitArgs, { env, encoding: 'utf8' });
    t.match(wait.stdout + wait.stderr, /its last cycle ended with 1 error/, 'wait saw the cycle');
    t.not(wait.status, 0, `wait --for cycle-clean does not pass: ${wait.stdout}${wait.stderr}`);

    run.proc.kill('SIGTERM');
    t.same(await exitOf(run.proc), { code: 0, signal: null });
    t.match(run.lines.join('\n'), /\n {2}tsc: stopped \([^)]*\), 0 restarts, 1 error, 0 warnings\n/);
  },
);

t.test(
  'a diagnostic reprinted in a later cycle prints once, even when the cycle publishes a file in parts',
  async (t) => {
    const matcher = {
      pattern: { regexp: '^(\\S+):(\\d+): (.*)$', file: 1, line: 2, message: 3 },
      background: { activeOnStart: false, beginsPattern: '^begin$', endsPattern: '^done$' },
    };
    // The second cycle reprints a.x's two problems in two blocks (one per SIGUSR2), so a.x is
    // published with its first problem alone in between, as a slow compiler's output is; b.x's
    // new problem, printed with that publish, says when it happened.
    const blocks = [
      ['begin', 'a.x:1: one', 'a.x:2: two', 'done'],
      ['begin', 'a.x:1: one', 'b.x:1: new'],
      ['a.x:2: two', 'b.x:1: new', 'done'],
    ];
    const config = writeConfig(t, [
      {
        id: 'lint',
        command: process.execPath,
        args: [fixture('prints-on-signal.cjs'), JSON.stringify(blocks)],
        connect: 'none',
        matchers: [matcher],
        readyWhen: 'cycle',
      },
    ]);
    const run = runCli(t, ['run', config], { cwd: dirname(config) });
    t.teardown(() => run.cleanup());
    const [, pid] = await run.waitFor(/^lint\s+\| running \(pid (\d+)\): ready$/);
    process.kill(Number(pid), 'SIGUSR2');
    await run.waitFor(/^b\.x:1:1 - error: new$/);
    process.kill(Number(pid), 'SIGUSR2');
    await run.waitFor(/^lint\s+\| cycle: 3 errors, 0 warnings in \d+ ms$/);
    t.same(
      run.lines.filter((line) => /^[ab]\.x:/.test(line)),
      ['a.x:1:1 - error: one', 'a.x:2:1 - error: two', 'b.x:1:1 - error: new'],
      'each problem printed once over both cycles',
    );
  },
);

t.test('a bad matcher in the config exits 2 and names the field', async (t) => {
  const config = writeConfig(t, [
    { id: 'w', command: 'true', connect: 'none', matchers: [{ pattern: { regexp: '^(\\S+' } }] },
  ]);
  const result = spawnSync(process.execPath, [cli, 'run', config], { env: plainEnv(), encoding: 'utf8' });
  t.equal(result.status, 2);
  t.match(result.stderr, /child "w": spec\.matchers\[0\]\.pattern\.regexp is not a valid regular expression/);
});
