import t, { type Test } from 'tap';
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitOf, fixture, spawnTracked, until } from '../helpers/index.js';
import { cli, plainEnv, runCli, writeConfig } from './run-cli.js';

// A child that puts escape sequences in every field it controls (see the fixture) must not
// reach the user's terminal with them: no clipboard writes (OSC 52), titles, hyperlinks, DCS,
// cursor moves or screen clears, in 7-bit or 8-bit (C1) form.

const hostile = () => [{ id: 'hostile', command: process.execPath, args: [fixture('reports-hostile-text.cjs')] }];

/** The hostile byte sequences found in `bytes`, by name: none may reach the terminal. */
function hostileSequences(bytes: Buffer): string[] {
  const sequences: Record<string, string> = {
    'OSC (7-bit)': '\x1b]',
    'DCS (7-bit)': '\x1bP',
    'ST (7-bit)': '\x1b\\',
    'clear screen': '\x1b[2J',
    'cursor home': '\x1b[H',
    'cursor up 3': '\x1b[3A',
    BEL: '\x07',
    'CSI (8-bit)': '\u009b',
    'OSC (8-bit)': '\u009d',
    'ST (8-bit)': '\u009c',
  };
  return Object.entries(sequences)
    .filter(([, sequence]) => bytes.includes(Buffer.from(sequence, 'utf8')))
    .map(([name]) => name);
}

/** Control characters other than tab, newline and carriage return, and every ESC not part of `allowed`. */
function strayControls(text: string, allowed: RegExp): string[] {
  return [...text.replace(allowed, '').matchAll(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]/g)].map((m) =>
    JSON.stringify(m[0]),
  );
}

const SGR = /\x1b\[[0-9;:]*m/g;

async function runHostilePiped(t: Test, env: NodeJS.ProcessEnv) {
  const run = runCli(t, ['run', writeConfig(t, hostile()), '--exit-after', '60s'], { env });
  await run.waitFor(/hostile done/);
  await run.waitFor(/err </);
  await run.waitFor(/: log </);
  await run.waitFor(/probe http/);
  run.proc.kill('SIGTERM');
  t.same(await exitOf(run.proc), { code: 0, signal: null }, run.stderr());
  return run;
}

t.test(
  'piped: structured fields show escapes visibly, output keeps only text, nothing hostile reaches stdout',
  async (t) => {
    const run = await runHostilePiped(t, plainEnv());
    const bytes = run.bytes();
    t.same(hostileSequences(bytes), [], 'no hostile sequence in the bytes written');
    t.notOk(bytes.includes(0x1b), 'off a TTY without colour there is no ESC at all');
    t.same(strayControls(bytes.toString('utf8'), /(?!)/g), [], 'no control character other than newline');
    const out = run.lines.map((line) => line.replace(/^hostile\s+\| /, 'hostile | '));
    const expected = [
      String.raw`hostile | info: log <\x1b]52;c;cHduZWQ=\x07>`,
      String.raw`/src/evil\x1b]2;title-two\x1b\.ts:1:1 - error X1\x9b2J: diag <\x1b]52;c;cHduZWQ=\x07\x1b]8;;https://evil.example/\x1b\link\x1b]8;;\x1b\>`,
      String.raw`hostile | port http\x1b]0;title-zero\x07\nspoof http://127.0.0.1\x1b[2J\x1b[H\x1b[3A:1`,
      'hostile | out osc52 <> end',
      'hostile | out osc8 <link> end',
      'hostile | out title0 <> end',
      'hostile | out title2 <> end',
      'hostile | out cursor <> end',
      'hostile | out dcs <> end',
      'hostile | out c1csi <> end',
      'hostile | out c1osc <> end',
      'hostile | colour red plain',
      'hostile | err <>',
    ];
    for (const line of expected) t.ok(out.includes(line), `printed: ${line}`);
    t.match(
      out.find((line) => line.startsWith('hostile | probe http')) ?? '',
      /^hostile \| probe http\\x1b\]0;title-zero\\x07\\nspoof http:\/\/127\.0\.0\.1\\x1b\[2J\\x1b\[H\\x1b\[3A:1: not probed: /,
    );
  },
);

t.test('piped with FORCE_COLOR: the child’s colour (SGR) is kept, and nothing else', async (t) => {
  const run = await runHostilePiped(t, plainEnv({ FORCE_COLOR: '1' }));
  const bytes = run.bytes();
  t.same(hostileSequences(bytes), [], 'no hostile sequence in the bytes written');
  t.same(strayControls(bytes.toString('utf8'), SGR), [], 'every ESC starts an SGR sequence');
  t.ok(bytes.includes(Buffer.from('colour \x1b[31mred\x1b[0m plain')), 'the child’s red is kept');
});

function runHostileOnTerminal(t: Test, env: NodeJS.ProcessEnv): Promise<string> {
  const transcript = join(tmpdir(), `procwire-hostile-tty-${process.pid}-${Math.random().toString(36).slice(2)}.out`);
  const pidFile = `${transcript}.pid`;
  t.teardown(() => {
    rmSync(transcript, { force: true });
    rmSync(pidFile, { force: true });
  });
  const config = writeConfig(t, hostile());
  // script(1) runs the command on a pseudo-terminal; the shell execs node, so $$ is the CLI's pid.
  const command = `stty cols 120; echo $$ > ${pidFile}; exec ${process.execPath} ${cli} run ${config} --exit-after 60s`;
  const run = spawnTracked(t, 'script', ['-qfec', command, transcript], env);
  const screen = (): string => (existsSync(transcript) ? readFileSync(transcript, 'latin1') : '');
  return (async () => {
    await until(
      () => /hostile done/.test(screen()) && /err </.test(screen()),
      20_000,
      'the hostile child’s output on the terminal',
    );
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    t.same(await exitOf(run), { code: 0, signal: null });
    return readFileSync(transcript).toString('utf8');
  })();
}

// What the table itself writes: cursor up, clear to the end, hide/show the cursor, line wrap off/on.
const TABLE_CONTROLS = /\x1b\[(?:[0-9;:]*m|\d+A|0J|\?25[lh]|\?7[lh])/g;

t.test(
  'on a terminal: only colour and the table’s own cursor control reach the screen; rows stay aligned',
  { skip: process.platform !== 'linux' && 'uses util-linux script(1)' },
  async (t) => {
    const env = plainEnv();
    const screen = await runHostileOnTerminal(t, env);
    t.same(hostileSequences(Buffer.from(screen)), [], 'no hostile sequence on the terminal');
    t.same(strayControls(screen, TABLE_CONTROLS), [], 'every ESC is colour or the table’s own');
    t.same(
      new Set([...screen.matchAll(/\x1b\[(\d+)A/g)].map((m) => m[1])),
      new Set(['2']),
      'the redraw always moves up over exactly the header and one row',
    );
    t.ok(screen.includes('colour \x1b[31mred\x1b[0m plain'), 'the child’s colour is kept on a terminal');
    const lines = screen.replace(TABLE_CONTROLS, '').split(/\r?\n|\r/);
    const header = lines.find((line) => line.startsWith('ID')) ?? '';
    const row = lines.find((line) => line.startsWith('hostile ') && line.includes('http://')) ?? '';
    t.ok(row, 'a table row shows the child with its port');
    t.match(
      row,
      /^hostile\s+[a-z]+\s+\d+\s+0\s+\S+\s+\d\s+0\s+http:\/\/127\.0\.0\.1\\x1b\[2J\\x1b\[H\\x1b\[3A:1/,
      'the host is shown escaped',
    );
    t.equal(row.indexOf('http://'), header.indexOf('PORTS'), 'the PORTS column lines up with its header');
    t.ok(row.length <= 120, 'the row fits the terminal');
  },
);

t.test(
  'on a terminal with NO_COLOR: the child’s colour is removed too',
  { skip: process.platform !== 'linux' && 'uses util-linux script(1)' },
  async (t) => {
    const screen = await runHostileOnTerminal(t, plainEnv({ NO_COLOR: '1' }));
    t.same(hostileSequences(Buffer.from(screen)), [], 'no hostile sequence on the terminal');
    t.notOk(/\x1b\[[0-9;:]*m/.test(screen), 'no SGR at all');
    t.same(strayControls(screen, TABLE_CONTROLS), [], 'every ESC is the table’s own');
    t.ok(screen.includes('colour red plain'), 'the text of the coloured line is kept');
  },
);
