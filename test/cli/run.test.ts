import t from 'tap';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPEC_KEYS } from '../../src/child/spec.js';
import { toMs } from '../../src/options/duration.js';
import { procwire } from '../../src/cli/verbs/index.js';
import { exitOf, fixture, killAtTeardown, pidAlive, spawnTracked, until } from '../helpers/index.js';
import { cli, runCli, writeConfig } from './run-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// The uid (and gid) of `nobody` on Debian and most Linux systems; any unprivileged uid would do.
const NOBODY = 65534;
const UNPRIVILEGED_PORT_START = '/proc/sys/net/ipv4/ip_unprivileged_port_start';

const web = (id = 'web') => ({ id, command: process.execPath, args: [fixture('reports-http-port.cjs')] });

t.test(
  'a valid config reaches running, shows the port and its probe, and SIGINT stops everything (exit 0)',
  async (t) => {
    const config = writeConfig(t, [
      web(),
      { id: 'echo', command: process.execPath, args: [fixture('ready-and-echo.cjs')] },
    ]);
    const run = runCli(t, ['run', config]);
    const [, webPid] = await run.waitFor(/^web\s+\| running \(pid (\d+)\): ready$/);
    const [, echoPid] = await run.waitFor(/^echo\s+\| running \(pid (\d+)\): ready$/);
    const [, url] = await run.waitFor(/^web\s+\| port http (http:\/\/127\.0\.0\.1:\d+)$/);
    await run.waitFor(/^web\s+\| probe http http:\/\/127\.0\.0\.1:\d+: 200 OK$/);
    t.equal(await (await fetch(url!)).text(), 'hello from web', 'the URL shown is the child’s');
    run.proc.kill('SIGINT');
    t.same(await exitOf(run.proc), { code: 0, signal: null });
    t.notOk(pidAlive(Number(webPid)), 'web is gone');
    t.notOk(pidAlive(Number(echoPid)), 'echo is gone');
    t.ok(run.lines.includes('procwire | shutting down (SIGINT)'));
    t.match(
      run.lines.join('\n'),
      /summary\n {2}web: stopped \(clean\), 0 restarts, 0 errors, 0 warnings, http:\/\/127\.0\.0\.1:\d+\n {2}echo: stopped \(clean\), /,
    );
    t.notOk(
      run.lines.some((line) => line.includes('\x1b')),
      'off a TTY the output has no escape codes',
    );
  },
);

t.test(
  'a child that ends by itself says so once, gets no stop line at shutdown, and the summary says how it ended',
  async (t) => {
    const config = writeConfig(t, [
      web(),
      // A blank line first: printed as the bar alone, with no space after it.
      {
        id: 'tool',
        command: process.execPath,
        args: ['-e', "console.log(''); console.log('tool done')"],
        connect: 'none',
      },
    ]);
    const run = runCli(t, ['run', config]);
    await run.waitFor(/^web\s+\| running \(pid \d+\): ready$/);
    await run.waitFor(/^tool\s+\| exited: not restarted \(restart: 'on-failure'\)$/);
    run.proc.kill('SIGINT');
    t.same(await exitOf(run.proc), { code: 0, signal: null });
    const tool = run.lines.filter((line) => line.startsWith('tool '));
    t.equal(tool.filter((line) => line.includes('exited with code 0')).length, 1, 'its exit is said once', {
      lines: tool,
    });
    t.ok(tool.includes("tool     | exited: not restarted (restart: 'on-failure')"), 'and why nothing follows it');
    t.ok(tool.includes('tool     |'), 'its blank line, with no trailing space', { lines: tool });
    t.notOk(
      tool.some((line) => /stop/.test(line)),
      'no stopping or stopped line for it',
      { lines: tool },
    );
    t.ok(run.lines.includes('web      | stopped: stop requested'), 'a running child still says it stopped');
    t.match(run.lines.join('\n'), /\n {2}tool \(not critical\): exited with code 0|\n {2}tool: exited with code 0/);
  },
);

t.test('diagnostics print the way compilers do, unprefixed and 1-based', async (t) => {
  const config = writeConfig(t, [
    { id: 'tsc', command: process.execPath, args: [fixture('publishes-diagnostics.cjs')] },
  ]);
  const run = runCli(t, ['run', config, '--exit-after', '5s']);
  await run.waitFor(/^tsc\s+\| running/);
  run.proc.kill('SIGTERM');
  t.same(await exitOf(run.proc), { code: 0, signal: null }, 'SIGTERM is graceful too');
  t.ok(run.lines.includes('/src/tsc/a.ts:3:5 - error TS2322: tsc: type error'), run.lines.join('\n'));
  t.ok(run.lines.includes('/src/tsc/a.ts:6:5 - warning TS2322: tsc: unused'));
  t.match(run.lines.join('\n'), /tsc: stopped \(clean\), 0 restarts, 2 errors, 1 warning/);
});

t.test('a bad config exits 2, names the file, the child and the field, and starts nothing', async (t) => {
  const marker = join(tmpdir(), `procwire-cli-marker-${process.pid}`);
  t.teardown(() => rmSync(marker, { force: true }));
  const config = writeConfig(t, [
    {
      id: 'first',
      command: process.execPath,
      args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'started')`],
      connect: 'none',
    },
    { id: 'second', command: process.execPath, readyTimeout: 'soon' },
  ]);
  const run = runCli(t, ['run', config]);
  t.same(await exitOf(run.proc), { code: 2, signal: null });
  t.match(
    run.stderr(),
    new RegExp(
      `procwire: ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: child 2 \\("second"\\): spec\\.readyTimeout of child "second" must be a non-negative duration.*got "soon"`,
    ),
  );
  t.notOk(existsSync(marker), 'the valid first child did not run');
  // The marker alone could miss a start: a child killed at shutdown before Node booted writes nothing.
  t.same(
    run.lines.filter((line) => /^first\s+\|/.test(line)),
    [],
    'nothing was reported of the first child: it was never started',
  );

  for (const [content, message] of [
    ['{ not json', /not valid JSON/],
    ['{"children": 3}', /must be an array of child specs/],
    ['[{"id": "a", "command": "x", "critical": "yes"}]', /child 1 \("a"\): "critical" must be true or false/],
    ['[{"id": "a", "command": "x"}, {"id": "a", "command": "y"}]', /child 2 \("a"\): the id "a" is used twice/],
    [
      '[{"id": "a", "command": "x", "restart": "sometimes"}]',
      /restart of child "a" must be one of 'always', 'on-failure', 'never'; got "sometimes"/,
    ],
  ] as const) {
    const bad = writeConfig(t, []);
    writeFileSync(bad, content);
    const attempt = runCli(t, ['run', bad]);
    t.same(await exitOf(attempt.proc), { code: 2, signal: null });
    t.match(attempt.stderr(), message);
  }
  const missing = runCli(t, ['run', join(tmpdir(), 'no-such-procwire.config.json')]);
  t.same(await exitOf(missing.proc), { code: 2, signal: null });
  t.match(missing.stderr(), /no such file/);
});

t.test(
  'a critical child that fails makes the run exit 1 once everything has ended; a non-critical one does not',
  async (t) => {
    const crashing = (critical: boolean) => ({
      id: 'crasher',
      command: process.execPath,
      args: [fixture('exits-after-ready.cjs'), '1'],
      maxRestarts: 1,
      backoff: { initial: '10ms' },
      critical,
    });
    const critical = runCli(t, ['run', writeConfig(t, [crashing(true)])]);
    t.same(await exitOf(critical.proc), { code: 1, signal: null }, 'ended by itself when nothing was left to run');
    t.ok(critical.lines.includes('procwire | shutting down (every child has ended)'));
    t.ok(critical.lines.includes('1 critical child failed: crasher'), 'the verdict names it', {
      lines: critical.lines,
    });
    const relaxed = runCli(t, ['run', writeConfig(t, [crashing(false)])]);
    t.same(await exitOf(relaxed.proc), { code: 0, signal: null });
    t.match(
      relaxed.lines.join('\n'),
      /crasher \(not critical\): failed \(restart limit reached; last failure: exited with code 1\), 1 restart, /,
    );
  },
);

t.test('a second Ctrl-C kills at once', async (t) => {
  const config = writeConfig(t, [
    { id: 'stubborn', command: process.execPath, args: [fixture('ignores-sigterm.cjs')], stopTimeout: '30s' },
  ]);
  const run = runCli(t, ['run', config]);
  const [, pid] = await run.waitFor(/^stubborn\s+\| running \(pid (\d+)\)/);
  killAtTeardown(t, Number(pid));
  run.proc.kill('SIGINT');
  await run.waitFor(/shutting down \(SIGINT\)/);
  run.proc.kill('SIGINT');
  t.same(await exitOf(run.proc), { code: 130, signal: null });
  t.match(run.stderr(), /second Ctrl-C, killing everything now/);
  await until(() => !pidAlive(Number(pid)), 2000, 'the stubborn child to die with the run');
  t.pass('the child that ignores SIGTERM and shutdown is gone');
});

t.test('--help, --version and usage errors', async (t) => {
  const [help, short, bare, version, v] = [['--help'], ['-h'], [], ['--version'], ['-v']].map((args) =>
    runCli(t, args),
  );
  t.same(await exitOf(help!.proc), { code: 0, signal: null });
  const text = help!.lines.join('\n');
  t.match(text, /^procwire - supervise child processes over a duplex local socket\n/);
  t.match(text, /\nCommands:\n {2}run +start the children of a config file/, 'the verbs are listed');
  t.match(text, /Run procwire <command> --help/, 'it points at the per-verb help');
  t.same(await exitOf(short!.proc), { code: 0, signal: null });
  t.equal(short!.lines.join('\n'), text, '-h is --help');
  t.same(await exitOf(bare!.proc), { code: 2, signal: null }, 'no command: the help, and exit 2');
  t.equal(bare!.lines.join('\n'), text);
  const packageVersion = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
  t.same(await exitOf(version!.proc), { code: 0, signal: null });
  t.same(version!.lines, [packageVersion]);
  t.same(await exitOf(v!.proc), { code: 0, signal: null });
  t.same(v!.lines, [packageVersion], '-v is --version');

  const cases: [string[], string][] = [
    [
      ['launch'],
      'procwire: unknown command "launch"; the commands are: run, ps, logs, diagnostics, start, stop, restart, wait, ' +
        'toolchain\nRun procwire --help for usage.\n',
    ],
    [
      ['--fast', 'run'],
      'procwire: unknown option --fast; a command comes first: procwire <command> [options]\n' +
        'Run procwire --help for usage.\n',
    ],
    [['run', '--fast'], 'procwire run: unknown option --fast\nRun procwire run --help for usage.\n'],
    [['run', '-x'], 'procwire run: unknown option -x\nRun procwire run --help for usage.\n'],
    [
      ['run', 'b.json'],
      'procwire run: unexpected argument "b.json" (it takes [config])\nRun procwire run --help for usage.\n',
    ],
    [
      // The config comes first (see below): the word after --ui is not a port, and one too many.
      ['run', '--ui', 'abc', 'other.json'],
      'procwire run: --ui takes a port number, or no value for any free port; got "abc"\n' +
        'Run procwire run --help for usage.\n',
    ],
    [
      ['run', '--exit-after'],
      'procwire run: --exit-after needs a value: --exit-after <duration>\nRun procwire run --help for usage.\n',
    ],
    [
      ['run', '--exit-after', '--no-probe'],
      'procwire run: --exit-after needs a value: --exit-after <duration>; got the option --no-probe ' +
        '(for a value that starts with "-", write --exit-after=--no-probe)\nRun procwire run --help for usage.\n',
    ],
    [
      ['run', '--no-probe=yes'],
      'procwire run: --no-probe takes no value; got yes\nRun procwire run --help for usage.\n',
    ],
    [
      ['run', '--exit-after', 'later'],
      "procwire run: --exit-after must be a non-negative duration (milliseconds or a string like '100ms', '5s', '2m'); " +
        'got "later"\nRun procwire run --help for usage.\n',
    ],
  ];
  // A config that would run: a usage error must stop before it is read.
  const config = writeConfig(t, [{ id: 'never', command: process.execPath, args: ['-e', '0'], connect: 'none' }]);
  // Each valid config at the front of the verb's arguments, where no option can take it as its value.
  const refused = cases.map(([args]) => runCli(t, args[0] === 'run' ? ['run', config, ...args.slice(1)] : args));
  for (const [index, [args, message]] of cases.entries()) {
    const bad = refused[index]!;
    t.same(await exitOf(bad.proc), { code: 2, signal: null }, args.join(' '));
    t.equal(bad.stderr(), message, `${args.join(' ')}: the problem, and where the help is`);
    t.same(bad.lines, [], `${args.join(' ')}: nothing on stdout, nothing started`);
    t.same(readdirSync(bad.runtimeDir), [], `${args.join(' ')}: no supervisor was started`);
  }
});

t.test('--ui on a port another program holds says so and what to do, and starts nothing', async (t) => {
  const holder = createServer();
  holder.listen(0, '127.0.0.1');
  await once(holder, 'listening');
  t.teardown(() => holder.close());
  const port = (holder.address() as AddressInfo).port;
  const config = writeConfig(t, [{ id: 'never', command: process.execPath, args: ['-e', '0'], connect: 'none' }]);
  const run = runCli(t, ['run', config, '--ui', String(port)]);
  t.same(await exitOf(run.proc), { code: 2, signal: null });
  t.equal(
    run.stderr(),
    `procwire run: --ui ${port}: port ${port} on 127.0.0.1 is taken by another program; ` +
      'pick another port, or give --ui alone for any free port\n',
  );
  t.same(run.lines, [], 'nothing on stdout: no child started');
});

// Linux lets users listen from this port up (1024 unless changed); root may listen anywhere,
// so a test run as root runs the CLI as nobody.
const unprivileged = process.platform === 'linux' ? Number(readFileSync(UNPRIVILEGED_PORT_START, 'utf8')) : 0;

t.test(
  '--ui on a port this user may not listen on says so and what to do, and starts nothing',
  { skip: unprivileged === 0 && 'needs a port only root may listen on (Linux ip_unprivileged_port_start above 0)' },
  async (t) => {
    const port = unprivileged - 1;
    const config = writeConfig(t, [{ id: 'never', command: process.execPath, args: ['-e', '0'], connect: 'none' }]);
    chmodSync(dirname(config), 0o755);
    const user = process.getuid?.() === 0 ? { user: NOBODY } : {};
    const run = runCli(t, ['run', config, '--ui', String(port)], { withoutTapPreload: true, ...user });
    t.same(await exitOf(run.proc), { code: 2, signal: null });
    t.equal(
      run.stderr(),
      `procwire run: --ui ${port}: this user may not listen on port ${port} (ports below 1024 need root on most ` +
        'systems); pick a port from 1024 up, or give --ui alone for any free port\n',
    );
    t.same(run.lines, [], 'nothing on stdout: no child started');
  },
);

t.test(
  'every verb has its own --help: usage, arguments and each declared option; -h and a bad option too',
  async (t) => {
    for (const verb of procwire.commands) {
      const [help, short, despiteBad] = [['--help'], ['-h'], ['--no-such-option', '--help']].map((args) =>
        runCli(t, [verb.name, ...args]),
      );
      t.same(await exitOf(help!.proc), { code: 0, signal: null }, `${verb.name} --help`);
      const text = help!.lines.join('\n');
      t.ok(text.startsWith(`procwire ${verb.name} - ${verb.summary}\n`), `${verb.name}: its own title`, { text });
      t.match(text, new RegExp(`\nUsage:\n {2}procwire ${verb.name} `), `${verb.name}: its usage line`);
      if ('options' in verb) {
        for (const [name, option] of Object.entries(verb.options)) {
          t.ok(text.includes(`--${name}`) && text.includes(option.description), `${verb.name}: --${name} is explained`);
        }
      }
      t.same(await exitOf(short!.proc), { code: 0, signal: null });
      t.equal(short!.lines.join('\n'), text, `${verb.name} -h is --help`);
      t.same(await exitOf(despiteBad!.proc), { code: 0, signal: null }, '--help wins over a bad option before it');
      t.equal(despiteBad!.lines.join('\n'), text);
    }
    const run = runCli(t, ['run', '--help']);
    t.same(await exitOf(run.proc), { code: 0, signal: null });
    t.match(
      run.lines.join('\n'),
      /\nUsage:\n {2}procwire run \[config\] \[--exit-after <duration>\] \[--no-probe\] \[--probe-any-host\] \[--ui \[port\]\]\n/,
    );
    t.match(run.lines.join('\n'), /\nArguments:\n {2}config +the config file \(default: \.\/procwire\.config\.json\)/);
    t.match(
      run.lines.join('\n'),
      /Exit codes: 0 ok; 1 a critical child failed, or exited by itself with a non-zero code or\na signal/,
    );
    t.match(run.lines.join('\n'), /; 2 bad usage or config/);
    t.match(run.lines.join('\n'), /"critical": false/, 'the config format is explained where the config is used');
  },
);

t.test(
  'on a real terminal the status table is redrawn in place',
  { skip: process.platform !== 'linux' && 'uses util-linux script(1)' },
  async (t) => {
    const oneshot = { id: 'oneshot', command: process.execPath, args: ['-e', 'process.exit(3)'], connect: 'none' };
    const config = writeConfig(t, [web(), { ...oneshot, restart: 'never', critical: false }]);
    const transcript = join(tmpdir(), `procwire-tty-${process.pid}.out`);
    t.teardown(() => rmSync(transcript, { force: true }));
    // script(1) runs the command on a pseudo-terminal, so stdout.isTTY is true inside.
    const env = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const run = spawnTracked(
      t,
      'script',
      ['-qfec', `stty cols 120; ${process.execPath} ${cli} run ${config} --exit-after 60s`, transcript],
      env,
    );
    // Ended once the table has shown the probe's answer, not after a fixed time a loaded machine may need more of.
    const shown = (): string => (existsSync(transcript) ? readFileSync(transcript, 'utf8') : '');
    await until(
      () => /http:\/\/127\.0\.0\.1:\d+.*\(200 OK\)/.test(shown()),
      20_000,
      'the table to show the probed port',
    );
    // Anchored on the Node binary: script(1) and its shell carry the same command line.
    spawnSync('pkill', ['-TERM', '-f', `^${process.execPath} ${cli} run ${config}`]);
    t.same(await exitOf(run), { code: 0, signal: null });
    const screen = readFileSync(transcript, 'utf8');
    t.match(screen, /ID\s+STATE\s+PID\s+RESTARTS\s+UPTIME\s+ERR\s+WARN\s+PORTS/, 'the table header');
    t.match(screen, /\x1b\[3A\r\x1b\[0J/, 'the table moves the cursor up over itself to redraw');
    t.match(screen, /web\s+\x1b\[32mrunning/, 'states are coloured on a TTY');
    t.match(screen, /http:\/\/127\.0\.0\.1:\d+.*\(200 OK\)/, 'the port and its probe in the table');
    t.match(screen, /summary/);
    // The last frame, drawn after the shutdown stopped every child: one that had ended before it
    // still reads as it ended.
    const oneshotStates = [...screen.matchAll(/oneshot\s+(?:\x1b\[[0-9;]*m)*(\w+)/g)].map((m) => m[1]);
    t.equal(oneshotStates.at(-1), 'exited', 'the last frame shows how oneshot ended', { oneshotStates });
  },
);

t.test('the config schema lists exactly the spec options plus critical', async (t) => {
  const schema = JSON.parse(readFileSync(join(repo, 'schema', 'procwire.config.schema.json'), 'utf8')) as {
    $defs: { child: { properties: Record<string, unknown> } };
  };
  t.same(Object.keys(schema.$defs.child.properties).sort(), [...SPEC_KEYS, 'critical'].sort());
  const demo = JSON.parse(readFileSync(join(repo, 'examples', 'demo', 'procwire.config.json'), 'utf8')) as {
    $schema: string;
  };
  t.ok(existsSync(join(repo, 'examples', 'demo', demo.$schema)), 'the demo config points at the schema');
});

t.test("a duration the schema lets through is one procwire takes (an editor's green is the run's)", async (t) => {
  type Pattern = { anyOf: [unknown, { pattern: string }] };
  const { $defs } = JSON.parse(readFileSync(join(repo, 'schema', 'procwire.config.schema.json'), 'utf8')) as {
    $defs: { duration: Pattern; positiveDuration: Pattern };
  };
  // As Ajv compiles a schema's pattern.
  const any = new RegExp($defs.duration.anyOf[1].pattern, 'u');
  const positive = new RegExp($defs.positiveDuration.anyOf[1].pattern, 'u');
  const taken = (value: string): number | undefined => {
    try {
      return toMs('d', value);
    } catch {
      return undefined;
    }
  };
  const values = ['5s', '100ms', '1.5h', '2 m', '10', '0', '0s', '0.0ms', '00.1s', ' 5s ', '5s ', 'five', '-1s', '5 S'];
  for (const value of values) {
    if (any.test(value)) t.ok(taken(value) !== undefined, `${JSON.stringify(value)}: a duration`);
    if (positive.test(value)) t.ok((taken(value) ?? 0) > 0, `${JSON.stringify(value)}: more than 0`);
  }
  t.same(
    values.filter((value) => any.test(value)),
    ['5s', '100ms', '1.5h', '2 m', '10', '0', '0s', '0.0ms', '00.1s'],
    'the usual forms pass',
  );
  t.same(
    values.filter((value) => positive.test(value)),
    ['5s', '100ms', '1.5h', '2 m', '10', '00.1s'],
    'and those more than 0 where 0 is refused (health interval and timeout, restartWindow, heartbeat)',
  );
});
