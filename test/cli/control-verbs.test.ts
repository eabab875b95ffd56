import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_WAIT_MS, exitOf, fixture, until, within } from '../helpers/index.js';
import { dispatch } from '../../src/cli/dispatch.js';
import { requestJson } from '../../src/control/client.js';
import type { ChildView, RunInfo } from '../../src/control/index.js';
import { procwire as procwireRoot } from '../../src/cli/verbs/index.js';
import { cli, plainEnv, runCli, tempDir, writeConfig } from './run-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** What one `procwire <verb>` printed and how it exited. */
interface VerbRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `procwire <verb>` running: its end, what it printed so far, and a way to stop it. */
type VerbProcess = Promise<VerbRun> & { stdout(): string; kill(): void };

/**
 * Counts the run's event streams now; the function it resolves with resolves once there is one
 * more (a `procwire wait` started meanwhile follows the run). Polled: no event announces a stream.
 */
async function streamOpened(socket: string): Promise<() => Promise<void>> {
  const streams = async (): Promise<number> => (await requestJson<RunInfo>(socket, 'GET', '/api/run')).streams;
  const count = await streams();
  return async () => {
    await within(
      (async () => {
        while ((await streams()) <= count) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      'procwire wait to open its event stream',
    );
  };
}

/** Runs `procwire <args>` in `cwd` with the run's runtime dir, so it finds the run's socket. */
function verb(t: Test, cwd: string, runtimeDir: string, args: string[]): VerbProcess {
  const proc = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: plainEnv({ XDG_RUNTIME_DIR: runtimeDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const done = within(exitOf(proc), `procwire ${args.join(' ')} to exit`).then(({ code }) => ({
    code,
    stdout,
    stderr,
  }));
  // A verb the test leaves running (logs -f) must not outlive it, nor fail it after it passed.
  done.catch(() => undefined);
  t.teardown(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return Object.assign(done, {
    stdout: () => stdout,
    kill: () => proc.kill(),
  });
}

/**
 * Runs `procwire <args>` in this process, through the same dispatcher and verbs as the command:
 * most checks need the verb's work and output, not another Node start each.
 */
async function inProcess(args: string[]): Promise<VerbRun> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) =>
    ({ isTTY: false, columns: 120, write: (chunk: string) => (write(chunk), true) }) as unknown as NodeJS.WriteStream;
  const io = { stdout: sink((text) => (stdout += text)), stderr: sink((text) => (stderr += text)) };
  const code = await within(dispatch(args, procwireRoot, io, { version: () => '0' }), `procwire ${args.join(' ')}`);
  return { code, stdout, stderr };
}

const web = { id: 'web', command: process.execPath, args: [fixture('reports-http-port.cjs')] };
const tsc = { id: 'tsc', command: process.execPath, args: [fixture('publishes-diagnostics.cjs')] };
const logs = { id: 'logs', command: process.execPath, args: [fixture('logs-and-prints.cjs')] };

t.test('the verbs talk to a procwire run from another process, found by the config in the cwd', async (t) => {
  const config = writeConfig(t, [web, tsc, logs]);
  const cwd = dirname(config);
  const run = runCli(t, ['run', config]);
  const [, webPid] = await run.waitFor(/^web\s+\| running \(pid (\d+)\): ready$/);
  await run.waitFor(/^tsc\s+\| running/);
  await run.waitFor(/^logs\s+\| running/);
  const procwire = (...args: string[]) => verb(t, cwd, run.runtimeDir, args);
  // The in-process verbs find the run as the command does: the runtime dir, the config, no colour.
  process.env.XDG_RUNTIME_DIR = run.runtimeDir;
  delete process.env.FORCE_COLOR;
  const here = (...args: string[]) => inProcess([...args, '--config', config]);

  // The socket is 0600 in a directory of ours that is 0700.
  const dir = join(run.runtimeDir, 'procwire');
  const dirStats = statSync(dir);
  t.equal(dirStats.mode & 0o777, 0o700, 'the socket directory is 0700');
  t.equal(dirStats.uid, process.getuid?.(), 'and ours');
  const sockets = readdirSync(dir).filter((name) => name.endsWith('.sock'));
  t.match(sockets, [/^[0-9a-f]{16}\.sock$/], 'one socket, named by the config');
  const socket = join(dir, sockets[0] as string);
  const key = (sockets[0] as string).slice(0, -'.sock'.length);
  t.same(readdirSync(dir).sort(), [`${key}.children`, `${key}.sock`], "and beside it the run's journal of children");
  t.equal(statSync(join(dir, `${key}.children`)).mode & 0o777, 0o700, 'which is 0700');
  t.equal(statSync(socket).mode & 0o777, 0o600, 'the socket is 0600');

  const ps = await procwire('ps');
  t.equal(ps.code, 0, ps.stderr);
  t.match(ps.stdout, new RegExp(`web\\s+running\\s+${webPid}\\s`), 'ps shows web with its pid');
  t.match(ps.stdout, /tsc\s+running\s+\d+\s+0\s.*\s2\s+1\b/, 'and tsc with 2 errors, 1 warning');
  t.same(
    ps.stdout.split('\n').filter((line) => line.endsWith(' ')),
    [],
    'no row ends in padding (tsc and logs have no ports)',
  );
  const psJson = await here('ps', '--json');
  t.same(
    JSON.parse(psJson.stdout).map((child: { id: string; state: string }) => [child.id, child.state]),
    [
      ['web', 'running'],
      ['tsc', 'running'],
      ['logs', 'running'],
    ],
  );

  const tail = await here('logs', 'logs', '-n', '2');
  t.equal(tail.code, 0, tail.stderr);
  // The run's own column width, as procwire run prints these lines, whichever children are shown.
  t.match(run.lines.join('\n'), /^logs {5}\| info: compiling 3 files$/m);
  t.same(tail.stdout.split('\n').filter(Boolean).slice(-2), [
    'logs     | info: compiling 3 files',
    'logs     | warn: deprecated option',
  ]);

  const diagnostics = await here('diagnostics');
  t.equal(diagnostics.code, 0, diagnostics.stderr);
  t.match(diagnostics.stdout, '/src/tsc/a.ts:3:5 - error TS2322: tsc: type error');
  t.match(diagnostics.stdout, /\n2 errors, 1 warning\n$/);
  t.match(JSON.parse((await here('diagnostics', 'tsc', '--json')).stdout), { errors: 2, warnings: 1 });

  // logs -f prints the tail, then what the child prints after a restart, once each.
  const follow = verb(t, cwd, run.runtimeDir, ['logs', 'logs', '-f', '--json']);
  const followedTexts = (): string[] =>
    follow
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line).text);
  const printedTwice = async (text: string): Promise<void> => {
    while (followedTexts().filter((seen) => seen === text).length < 2) await new Promise((r) => setTimeout(r, 20));
  };
  await within(
    until(() => followedTexts().length >= 5, EVENT_WAIT_MS, 'x'),
    'logs -f to print the tail',
  );
  const restartedLogs = await here('restart', 'logs');
  t.equal(restartedLogs.code, 0, restartedLogs.stderr);
  await within(printedTwice('deprecated option'), 'logs -f to print the restarted child’s lines');
  // Every line as JSON: id, seq, at, stream, level, text.
  t.match(JSON.parse(follow.stdout().split('\n')[3] as string), {
    id: 'logs',
    stream: 'log',
    level: 'info',
    text: 'compiling 3 files',
  });
  const followed = follow
    .stdout()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  t.same(
    followed.map((line) => line.text).filter((text) => text === 'out one'),
    ['out one', 'out one'],
    'the first run’s line once, the second run’s once',
  );
  t.ok(
    followed.every((line, i) => i === 0 || line.seq > followed[i - 1].seq),
    'in order, none repeated',
  );
  follow.kill();

  const restarted = await here('restart', 'web');
  t.equal(restarted.code, 0, restarted.stderr);
  const [, newPid] = restarted.stdout.match(/^web: restarted, running \(pid (\d+)\)$/m) ?? [];
  t.ok(newPid && newPid !== webPid, `a new pid (${webPid} -> ${newPid})`);

  const stopped = await here('stop', 'web');
  t.equal(stopped.code, 0, stopped.stderr);
  t.match(stopped.stdout, /^web: stopped, /);
  // A wait for a condition that holds only later: it exits when the start makes it true.
  const opened = await streamOpened(socket);
  const waiting = procwire('wait', 'web', '--for', 'port', '--timeout', '30s');
  // Started only once the wait follows the run, so the condition comes true while it waits.
  await opened();
  const started = await here('start', 'web');
  t.equal(started.code, 0, started.stderr);
  const waited = await waiting;
  t.equal(waited.code, 0, waited.stderr);
  t.match(waited.stdout, /^web has port http http:\/\/127\.0\.0\.1:\d+$/m);

  const timedOut = await here('wait', 'logs', '--for', 'port', '--timeout', '300ms');
  t.equal(timedOut.code, 1, 'a wait that times out exits 1');
  t.match(
    timedOut.stderr,
    /timed out after 300ms waiting for logs to report a port; logs is running: .*no port reported yet/,
  );
  const unsupported = await here('wait', 'web', '--for', 'healthy', '--json');
  t.equal(unsupported.code, 2, 'a condition the child cannot report exits 2');
  t.match(JSON.parse(unsupported.stdout), { id: 'web', ok: false, text: /no health check/ });

  const unknown = await here('restart', 'nope');
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /^procwire restart: no child with id "nope" in the run of .*; procwire ps lists them\n$/);

  // A second run of the same config is refused and leaves the first one's socket alone.
  const second = runCli(t, ['run', config], { env: { XDG_RUNTIME_DIR: run.runtimeDir } });
  t.same(await exitOf(second.proc), { code: 2, signal: null });
  t.match(second.stderr(), /another procwire run \(pid \d+, since .*\) is already serving .*procwire ps/);
  t.equal((await here('ps')).code, 0, 'the first run still answers');

  run.proc.kill('SIGINT');
  await exitOf(run.proc);
  const gone = await procwire('ps');
  t.equal(gone.code, 2, 'no run: exit 2');
  t.match(gone.stderr, /^procwire ps: no procwire run is serving procwire\.config\.json \(nothing answers on .*\)/);
});

t.test(
  'wait: --for is required, each condition reads as a phrase, a start that never got ready is failed',
  async (t) => {
    const stays = { id: 'stays', command: process.execPath, args: [fixture('only-ready.cjs')] };
    // Exits 3 before it connects, under restart 'never': its first start never gets ready.
    const dies = {
      id: 'dies',
      command: process.execPath,
      args: [fixture('exits-before-hello.cjs')],
      restart: 'never',
      critical: false,
    };
    const config = writeConfig(t, [stays, dies]);
    const cwd = dirname(config);
    const run = runCli(t, ['run', config]);
    await run.waitFor(/^stays\s+\| running/);
    await run.waitFor(/^dies\s+\| failed/);
    const procwire = (...args: string[]) => verb(t, cwd, run.runtimeDir, args);

    const help = await procwire('wait', '--help');
    t.match(
      help.stdout,
      /^ {2}procwire wait <id> --for <condition> \[--config <file>\]/m,
      'the usage shows --for required',
    );
    const bare = await procwire('wait', 'stays');
    t.equal(bare.code, 2);
    t.match(bare.stderr, /^procwire wait: --for <condition> is required: one of ready, healthy, port, cycle-clean\n/);

    const ps = await procwire('ps');
    t.match(ps.stdout, /^dies\s+failed\s/m, 'procwire ps says failed');
    const failed = await procwire('wait', 'dies', '--for', 'ready');
    t.equal(failed.code, 1, failed.stderr);
    t.match(
      failed.stderr,
      /^procwire wait: dies ended and will not restart by itself \(failed\): child "dies" exited with code 3 before/,
      'the same word as procwire ps',
    );
    t.match(
      failed.stderr,
      /; last stderr lines:\n {2}loading config\n {2}fatal: config file not found\n/,
      'the stderr lines it quotes as lines, not as \\n',
    );
    const json = JSON.parse((await procwire('ps', '--json')).stdout) as ChildView[];
    t.same(
      json.find((child) => child.id === 'dies')?.error?.stderrTail,
      ['loading config', 'fatal: config file not found'],
      "the API's view carries them as written",
    );
    const again = await procwire('start', 'dies');
    t.equal(again.code, 1, again.stderr);
    t.match(
      again.stderr,
      /^procwire start: child "dies" exited with code 3 before it was ready; last stderr lines:\n {2}loading config\n {2}fatal: config file not found\n/,
      'procwire start quotes them as lines too',
    );

    const timedOut = await procwire('wait', 'stays', '--for', 'port', '--timeout', '300ms');
    t.match(timedOut.stderr, /^procwire wait: timed out after 300ms waiting for stays to report a port; /);
    // Ended by the run's end: the wait follows the run, which the test stops once the wait is streaming.
    const dir = join(run.runtimeDir, 'procwire');
    const socket = join(dir, readdirSync(dir).find((name) => name.endsWith('.sock')) as string);
    const opened = await streamOpened(socket);
    const ended = procwire('wait', 'stays', '--for', 'port', '--timeout', '30s');
    await opened();
    run.proc.kill('SIGINT');
    const endedRun = await ended;
    t.equal(endedRun.code, 1);
    t.match(endedRun.stderr, /^procwire wait: the run ended while waiting for stays to report a port/);
  },
);

t.test('where there is no config, a verb says how a run is found and exits 2', async (t) => {
  const empty = tempDir(t, 'procwire-no-config-');
  const ps = await verb(t, empty, empty, ['ps']);
  t.equal(ps.code, 2);
  t.match(ps.stderr, /procwire ps: no procwire run found: procwire\.config\.json does not exist.*--config <file>/);
});

t.test('a child whose start failed starts again from procwire start, spawned anew from the config', async (t) => {
  const dir = tempDir(t, 'procwire-respawn-');
  const script = join(dir, 'dev.cjs');
  // The dev server as first run: broken, it dies before it is ready.
  writeFileSync(script, "console.error('SyntaxError: broken'); process.exit(1);\n");
  const config = writeConfig(t, [
    { id: 'dev', command: process.execPath, args: [script], restart: 'never' },
    { id: 'keep', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1e9)'], connect: 'none' },
  ]);
  const cwd = dirname(config);
  const run = runCli(t, ['run', config]);
  await run.waitFor(/^procwire \| dev did not start: .*exited with code 1/);
  const procwire = (...args: string[]) => verb(t, cwd, run.runtimeDir, args);

  const stop = await procwire('stop', 'dev');
  t.equal(stop.code, 1);
  t.match(stop.stderr, /its start failed, so nothing runs to stop; start it to try again/);
  const still = await procwire('start', 'dev');
  t.equal(still.code, 1, 'a start of the still broken child fails, and says why');
  t.match(still.stderr, /exited with code 1/);
  await run.waitFor(/^procwire \| dev did not start: .*exited with code 1/);

  // Fixed: the same file now connects and says ready.
  writeFileSync(script, readFileSync(fixture('only-ready.cjs'), 'utf8').replace('../../dist/', `${repo}dist/`));
  const started = await procwire('start', 'dev');
  t.equal(started.code, 0, 'procwire start succeeds', { stderr: started.stderr });
  const [, pid] = await run.waitFor(/^dev\s+\| running \(pid (\d+)\): ready$/);
  const ps = JSON.parse((await procwire('ps', '--json')).stdout) as { id: string; state: string; pid: number }[];
  t.match(
    ps.find((child) => child.id === 'dev'),
    { state: 'running', pid: Number(pid) },
    'the run shows it running',
  );
});

t.test('a start that waits for a stopped dependency says what it waits for, and --timeout ends the wait', async (t) => {
  const config = writeConfig(t, [
    { id: 'dep', command: process.execPath, args: [fixture('only-ready.cjs')] },
    { id: 'web', command: process.execPath, args: [fixture('only-ready.cjs')], dependsOn: { dep: 'ready' } },
  ]);
  const run = runCli(t, ['run', config]);
  const [, first] = await run.waitFor(/^web\s+\| running \(pid (\d+)\): ready$/);
  const procwire = (...args: string[]) => verb(t, dirname(config), run.runtimeDir, args);
  const stopped = await procwire('stop', 'dep');
  t.match(stopped, { code: 0, stdout: /^dep: stopped, clean\n$/ });
  const again = await procwire('stop', 'dep');
  t.match(again, { code: 0, stdout: /^dep: nothing to stop, it had already ended \(stopped\)\n$/ }, 'a second stop');

  const restart = await procwire('restart', 'web', '--timeout', '2500ms');
  t.equal(restart.code, 1, 'it timed out: exit 1');
  t.match(restart.stderr, /^procwire restart: web is waiting: dep ready; it starts once that holds$/m);
  t.match(
    restart.stderr,
    /^procwire restart: web was not ready within 2500 ms \(waiting: dep ready\); the start goes on in the run$/m,
  );
  // It did go on: once its dependency is back, it is ready.
  t.equal((await procwire('start', 'dep')).code, 0);
  await run.waitFor(new RegExp(`^web\\s+\\| running \\(pid (?!${first}\\))\\d+\\): ready$`));
  t.pass('web became ready again, in a new process, once dep was');
  const bad = await procwire('start', 'web', '--timeout', 'soon');
  t.equal(bad.code, 2, 'a bad --timeout is bad usage');
  t.match(bad.stderr, /--timeout/);
});
