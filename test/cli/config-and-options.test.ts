// The claims of the README's "The procwire command" section that run.test.ts does not cover:
// --no-probe, the { $schema, children } form, where relative commands and cwds resolve, colour
// settings, start order, the default config file, and what a SIGKILLed run leaves behind.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { exitOf, fixture, pidAlive, until } from '../helpers/index.js';
import { cli, runCli, tempDir } from './run-cli.js';

/** Writes `content` as JSON to procwire.config.json in a new temp dir; returns both. */
function writeConfigIn(t: Test, content: unknown): { dir: string; file: string } {
  const dir = tempDir(t, 'procwire-cli-config-');
  const file = join(dir, 'procwire.config.json');
  writeFileSync(file, JSON.stringify(content, null, 2));
  return { dir, file };
}

/** The index of the first output line that `pattern` matches (-1 if none). */
function lineIndex(lines: string[], pattern: RegExp): number {
  return lines.findIndex((line) => pattern.test(line));
}

const sdkChild = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  command: process.execPath,
  args: [fixture(name)],
  ...extra,
});
const plainChild = (id: string, script: string) => ({
  id,
  command: process.execPath,
  args: ['-e', script],
  connect: 'none',
});

t.test('each reported http port gets exactly one GET; with --no-probe it gets none', async (t) => {
  const probed = async (noProbe: boolean): Promise<void> => {
    const { dir, file } = writeConfigIn(t, []);
    const requestLog = join(dir, 'requests.log');
    writeFileSync(requestLog, '');
    writeFileSync(
      file,
      JSON.stringify([sdkChild('web', 'records-http-requests.cjs', { env: { REQUEST_LOG: requestLog } })]),
    );
    const run = runCli(t, ['run', file, ...(noProbe ? ['--no-probe'] : [])]);
    const [, url] = await run.waitFor(/^web\s+\| port http (http:\/\/127\.0\.0\.1:\d+)$/);
    await run.waitFor(/^web\s+\| running \(pid \d+\)/);
    if (!noProbe) await run.waitFor(/^web\s+\| probe http http:\/\/127\.0\.0\.1:\d+: 200 OK$/);
    // A request of the test's own: the server records requests, so an empty log means no probe, not a deaf server.
    t.equal(await (await fetch(`${url}/from-the-test`)).text(), 'recorded');
    run.proc.kill('SIGINT');
    t.same(await exitOf(run.proc), { code: 0, signal: null });
    // Read after the run has ended: the child's server is closed, so no GET can still arrive.
    const requests = readFileSync(requestLog, 'utf8').split('\n').filter(Boolean).sort();
    if (noProbe) {
      t.same(requests, ['GET /from-the-test'], '--no-probe: the CLI sent no request');
      t.equal(lineIndex(run.lines, /\| probe /), -1, '--no-probe: no probe line');
    } else {
      t.same(requests, ['GET /', 'GET /from-the-test'], 'the CLI sent exactly one GET, to /');
    }
  };
  await Promise.all([probed(false), probed(true)]);
});

t.test(
  'the { "$schema", "children" } form runs; an unknown top-level key exits 2 naming it and starts nothing',
  async (t) => {
    const { file } = writeConfigIn(t, {
      $schema: './node_modules/procwire/schema/procwire.config.schema.json',
      children: [sdkChild('only', 'only-ready.cjs')],
    });
    const bad = writeConfigIn(t, []);
    const marker = join(bad.dir, 'started');
    writeFileSync(
      bad.file,
      JSON.stringify({
        children: [plainChild('marker', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'started')`)],
        childs: [],
      }),
    );

    const run = runCli(t, ['run', file]);
    const refused = runCli(t, ['run', bad.file]);
    await run.waitFor(/^only\s+\| running \(pid \d+\): ready$/);
    run.proc.kill('SIGINT');
    t.same(await exitOf(run.proc), { code: 0, signal: null });
    t.match(run.lines.join('\n'), /summary\n {2}only: stopped \(clean\), 0 restarts/);

    t.same(await exitOf(refused.proc), { code: 2, signal: null });
    t.equal(
      refused.stderr(),
      `procwire: ${bad.file}: unknown top-level key "childs"; expected "children" (and optionally "$schema")\n`,
    );
    t.notOk(existsSync(marker), 'the valid child was not started');
  },
);

t.test(
  'relative commands and cwds resolve against the config file’s directory, which is the default cwd',
  async (t) => {
    const { dir, file } = writeConfigIn(t, [
      { id: 'here', command: './bin/where.sh', connect: 'none' },
      { id: 'there', command: 'bin/where.sh', cwd: 'work', connect: 'none' },
    ]);
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'work'));
    copyFileSync(fixture('reports-where-it-runs.sh'), join(dir, 'bin', 'where.sh'));
    chmodSync(join(dir, 'bin', 'where.sh'), 0o755);
    // Run from elsewhere: resolving against the CLI's own cwd would find no bin/where.sh.
    const elsewhere = tempDir(t, 'procwire-cli-elsewhere-');
    const run = runCli(t, ['run', file], { cwd: elsewhere });
    t.same(await exitOf(run.proc), { code: 0, signal: null }, 'both ran and ended, so the run ended by itself');
    const report = (id: string, what: string): string | undefined =>
      run.lines.map((line) => line.match(new RegExp(`^${id}\\s+\\| ${what} (.*)$`))?.[1]).find(Boolean);
    const real = realpathSync(dir);
    t.equal(report('here', 'cwd'), real, 'no cwd given: the config’s directory');
    t.equal(
      report('here', 'command'),
      join(dir, 'bin', 'where.sh'),
      './bin/where.sh ran as the absolute path under the config’s directory',
    );
    t.equal(report('there', 'cwd'), join(real, 'work'), 'cwd "work" is the config’s work/');
    t.equal(
      report('there', 'command'),
      join(dir, 'bin', 'where.sh'),
      'bin/where.sh resolved against the config, not against cwd work/',
    );
  },
);

t.test('colour when piped: FORCE_COLOR forces it unless it is "0", even over NO_COLOR', async (t) => {
  const { file } = writeConfigIn(t, [plainChild('tool', 'console.log("done")')]);
  const cases: [NodeJS.ProcessEnv, boolean][] = [
    [{ FORCE_COLOR: '1' }, true],
    [{ FORCE_COLOR: '0' }, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ];
  const check = async ([env, coloured]: [NodeJS.ProcessEnv, boolean]): Promise<void> => {
    const run = runCli(t, ['run', file], { env });
    const label = JSON.stringify(env);
    t.same(await exitOf(run.proc), { code: 0, signal: null }, label);
    const out = run.bytes().toString('utf8');
    t.match(stripVTControlCharacters(out), /^tool {5}\| done$/m, `${label}: the child's line`);
    if (coloured) {
      t.ok(out.includes('\x1b[2mtool    \x1b[22m | done\n'), `${label}: the id prefix is dimmed`, { out });
      t.ok(out.includes('\x1b[1msummary\x1b[22m'), `${label}: the summary heading is bold`, { out });
    } else {
      t.notOk(out.includes('\x1b'), `${label}: no escape byte at all`, { out });
    }
  };
  await Promise.all(cases.map(check));
});

t.test(
  'on a terminal NO_COLOR (non-empty) removes every colour; the table still redraws',
  { skip: process.platform !== 'linux' && 'uses util-linux script(1)' },
  async (t) => {
    const { file } = writeConfigIn(t, [plainChild('tool', 'console.log("done")')]);
    const transcripts = tempDir(t, 'procwire-cli-tty-');
    const sgr = /\x1b\[[0-9;]*m/;
    // NO_COLOR="" is unset as far as no-color.org goes: the terminal keeps its colours.
    const check = async ([noColor, coloured]: readonly [string, boolean]): Promise<void> => {
      const runtimeDir = tempDir(t, 'procwire-cli-run-');
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtimeDir, NO_COLOR: noColor };
      delete env.FORCE_COLOR;
      const transcript = join(transcripts, `no-color-${noColor || 'empty'}.out`);
      // script(1) runs the command on a pseudo-terminal, so stdout.isTTY is true inside.
      const script = spawn(
        'script',
        ['-qfec', `stty cols 120; '${process.execPath}' '${cli}' run '${file}'`, transcript],
        { env, stdio: 'ignore' },
      );
      t.teardown(() => {
        if (script.exitCode === null && script.signalCode === null) script.kill('SIGKILL');
      });
      const label = `NO_COLOR=${JSON.stringify(noColor)}`;
      t.same(await exitOf(script), { code: 0, signal: null }, label);
      const screen = readFileSync(transcript, 'utf8');
      t.match(screen, /\x1b\[\d+A\r\x1b\[0J/, `${label}: it is the terminal view (the table redraws in place)`);
      t.match(stripVTControlCharacters(screen), /tool\s+exited/, `${label}: the table shows the child`);
      if (coloured) t.match(screen, sgr, `${label}: coloured`);
      else t.notMatch(screen, sgr, `${label}: no colour or style escape at all`);
    };
    await Promise.all(
      (
        [
          ['', true],
          ['1', false],
        ] as const
      ).map(check),
    );
  },
);

t.test('a child that dependsOn another being ready is spawned only once it is; they stop in reverse', async (t) => {
  const { file } = writeConfigIn(t, [
    sdkChild('first', 'ready-on-sigusr2.cjs'),
    { ...sdkChild('second', 'ready-on-sigusr2.cjs'), dependsOn: { first: 'ready' } },
    { ...sdkChild('third', 'only-ready.cjs'), dependsOn: { second: 'ready' } },
  ]);
  const run = runCli(t, ['run', file]);
  for (const id of ['first', 'second']) {
    // The test holds each start open until the child has connected and said so.
    const [, pid] = await run.waitFor(new RegExp(`^${id}\\s+\\| info: waiting for SIGUSR2 as pid (\\d+)$`));
    process.kill(Number(pid), 'SIGUSR2');
  }
  await run.waitFor(/^third\s+\| running \(pid \d+\): ready$/);
  run.proc.kill('SIGINT');
  t.same(await exitOf(run.proc), { code: 0, signal: null });
  const { lines } = run;
  const firstRunning = lineIndex(lines, /^first\s+\| running /);
  const secondRunning = lineIndex(lines, /^second\s+\| running /);
  t.ok(
    firstRunning >= 0 && firstRunning < lineIndex(lines, /^second\s+\| starting \(pid/),
    'second was not spawned before first was running',
    { lines },
  );
  t.ok(
    secondRunning >= 0 && secondRunning < lineIndex(lines, /^third\s+\| starting \(pid/),
    'third was not spawned before second was running',
    { lines },
  );
  const stopped = lines.map((line) => line.match(/^(\w+)\s+\| stopped/)?.[1]).filter(Boolean);
  t.same(stopped, ['third', 'second', 'first'], 'stopped in reverse start order');
});

t.test(
  'without a config argument ./procwire.config.json is used; with none there, exit 2 saying how to fix it',
  async (t) => {
    const { dir } = writeConfigIn(t, [plainChild('say', 'console.log("from the default config")')]);
    const empty = tempDir(t, 'procwire-cli-empty-');
    const run = runCli(t, ['run'], { cwd: dir });
    const missing = runCli(t, ['run', '--no-probe'], { cwd: empty });
    t.same(await exitOf(run.proc), { code: 0, signal: null });
    t.ok(run.lines.includes('say      | from the default config'), 'the child of ./procwire.config.json ran', {
      lines: run.lines,
    });

    t.same(await exitOf(missing.proc), { code: 2, signal: null });
    t.equal(
      missing.stderr(),
      "procwire: procwire.config.json: no such file. Create it (see procwire run --help) or pass the config's path: procwire run <config>\n",
    );
    t.same(missing.lines, [], 'nothing printed on stdout');
    t.same(readdirSync(missing.runtimeDir), [], 'no supervisor was started (no socket dir)');
  },
);

t.test(
  'a SIGKILLed run: its SDK children exit by themselves; the test removes its socket dir and plain children',
  async (t) => {
    // The SDK child serves HTTP, so only the SDK's exit on disconnect ends it, not an empty event loop.
    const { file } = writeConfigIn(t, [
      plainChild('plain', 'setInterval(() => {}, 1 << 30)'),
      sdkChild('sdk', 'reports-http-port.cjs'),
    ]);
    const run = runCli(t, ['run', file, '--no-probe']);
    const [, plainPid] = await run.waitFor(/^plain\s+\| running \(pid (\d+)\)/);
    const [, sdkPid] = await run.waitFor(/^sdk\s+\| running \(pid (\d+)\)/);
    // procwire/ holds the run's control socket (docs/CONTROL.md); the other is the children's.
    const socketDirs = readdirSync(run.runtimeDir).filter((name) => name !== 'procwire');
    t.equal(socketDirs.length, 1, 'the run made its socket dir under the $XDG_RUNTIME_DIR it was given');
    t.ok(existsSync(join(run.runtimeDir, socketDirs[0] ?? '', 's.sock')), 'and listens there');
    run.proc.kill('SIGKILL');
    t.same(await exitOf(run.proc), { code: null, signal: 'SIGKILL' });
    await until(
      () => !pidAlive(Number(sdkPid)),
      2000,
      `the SDK child ${sdkPid} to exit after its parent was SIGKILLed`,
    );
    t.pass('the SDK child saw its socket close and exited');
    await run.cleanup();
    // SIGKILL is delivered asynchronously, so the death is awaited, not assumed.
    await until(
      () => !pidAlive(Number(plainPid)),
      2000,
      `the plain child ${plainPid} to die from the cleanup's SIGKILL`,
    );
    t.pass('the cleanup killed the plain child');
    t.notOk(existsSync(run.runtimeDir), 'the cleanup removed the socket dir');
  },
);

t.test('a run started after a SIGKILLed run of the same config stops the plain children it left running', async (t) => {
  const { file } = writeConfigIn(t, [plainChild('plain', 'setInterval(() => {}, 1 << 30)')]);
  const killed = runCli(t, ['run', file, '--no-probe']);
  const [, plainPid] = await killed.waitFor(/^plain\s+\| running \(pid (\d+)\)/);
  killed.proc.kill('SIGKILL');
  await exitOf(killed.proc);
  t.ok(pidAlive(Number(plainPid)), 'a plain child outlives a SIGKILLed run');
  // The same user and runtime directory, as a user's next `procwire run` has.
  const next = runCli(t, ['run', file, '--no-probe'], { env: { XDG_RUNTIME_DIR: killed.runtimeDir } });
  await next.waitFor(
    new RegExp(`stopped plain \\(pid ${plainPid}, .+\\): left running by a run of this config that was killed`),
  );
  await until(() => !pidAlive(Number(plainPid)), 2000, `the orphan ${plainPid} to be gone`);
  await next.waitFor(/^plain\s+\| running \(pid \d+\)/);
  t.pass('and starts its own');
  next.proc.kill('SIGTERM');
  t.same(await exitOf(next.proc), { code: 0, signal: null });
  await killed.cleanup();
});
