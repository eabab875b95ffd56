// The dispatcher against made-up verbs, one of them in a group the way issue 17's
// `procwire toolchain which|list|install` will be, with in-memory streams. The real command is
// run as a process in run.test.ts.
import t from 'tap';
import { dispatch } from '../../src/cli/dispatch.js';
import { defineVerb, UsageError, type CliIo, type VerbArgs, type VerbGroup } from '../../src/cli/verbs/verb.js';

function fakeIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (write: (text: string) => void) => ({ write: (text: string) => (write(text), true) }) as never;
  return {
    stdout: stream((text) => (out += text)),
    stderr: stream((text) => (err += text)),
    out: () => out,
    err: () => err,
  };
}

const calls: { verb: string; args: VerbArgs }[] = [];
const which = defineVerb({
  name: 'which',
  summary: 'say which runtime a pin resolves to',
  positionals: [{ name: 'pin', required: true, description: 'e.g. node@18' }],
  options: { json: { type: 'boolean', description: 'print JSON' } },
  description: 'Resolves a pin.',
  async run(args) {
    calls.push({ verb: 'which', args });
    if (args.positionals[0] === 'bad') throw new UsageError('"bad" is not a pin; write name@version');
    return 0;
  },
});
const ps = defineVerb({
  name: 'ps',
  summary: 'list the children of the run',
  positionals: [],
  options: {},
  description: 'Lists them.',
  async run(args) {
    calls.push({ verb: 'ps', args });
    return 1;
  },
});
const root: VerbGroup = {
  name: 'tool',
  summary: 'a made-up command',
  commands: [ps, { name: 'toolchain', summary: 'find and install runtimes', commands: [which] }],
};
const run = async (...argv: string[]) => {
  const io = fakeIo();
  const code = await dispatch(argv, root, io, { version: () => '9.9.9' });
  return { code, out: io.out(), err: io.err() };
};

t.test('a verb runs with its parsed arguments and its exit code is the command’s', async (t) => {
  calls.length = 0;
  t.same(await run('ps'), { code: 1, out: '', err: '' });
  t.same(await run('toolchain', 'which', 'node@18', '--json'), { code: 0, out: '', err: '' });
  t.same(calls, [
    { verb: 'ps', args: { values: {}, positionals: [] } },
    { verb: 'which', args: { values: { json: true }, positionals: ['node@18'] } },
  ]);
});

t.test('help at every level: the root and a group list their commands, a verb shows its own', async (t) => {
  const rootHelp = await run('--help');
  t.equal(rootHelp.code, 0);
  t.match(rootHelp.out, /^tool - a made-up command\n/);
  t.match(rootHelp.out, /Commands:\n {2}ps +list the children of the run\n {2}toolchain <command> +find and install/);
  t.match(rootHelp.out, /-v, --version/, 'the root has --version');
  t.same(await run(), { ...rootHelp, code: 2 }, 'nothing asked: the help, and exit 2');
  t.same(await run('--bogus', '-h'), rootHelp, 'help wins over a bad option beside it');

  const group = await run('toolchain', '--help');
  t.equal(group.code, 0);
  t.match(group.out, /^tool toolchain - find and install runtimes\n\nUsage:\n {2}tool toolchain <command>/);
  t.match(group.out, /Commands:\n {2}which +say which runtime/);
  t.notMatch(group.out, /--version/, 'a group has no --version');
  t.same(await run('toolchain'), { ...group, code: 2 });

  const verb = await run('toolchain', 'which', '-h');
  t.equal(verb.code, 0);
  t.equal(
    verb.out,
    'tool toolchain which - say which runtime a pin resolves to\n\n' +
      'Usage:\n  tool toolchain which <pin> [--json]\n\nResolves a pin.\n\n' +
      'Arguments:\n  pin   e.g. node@18\n\n' +
      'Options:\n      --json   print JSON\n  -h, --help   show this help\n',
  );
  t.same(await run('-v'), { code: 0, out: '9.9.9\n', err: '' });
});

t.test('every usage problem exits 2 on stderr, names itself and the help to read; nothing runs', async (t) => {
  calls.length = 0;
  const problems: [string[], string][] = [
    [['pss'], 'tool: unknown command "pss"; the commands are: ps, toolchain\nRun tool --help for usage.\n'],
    [
      ['-x', 'ps'],
      'tool: unknown option -x; a command comes first: tool <command> [options]\nRun tool --help for usage.\n',
    ],
    [
      ['toolchain', 'whch'],
      'tool toolchain: unknown command "whch"; the commands are: which\nRun tool toolchain --help for usage.\n',
    ],
    [['toolchain', 'which'], 'tool toolchain which: missing <pin>\nRun tool toolchain which --help for usage.\n'],
    [['ps', '--all'], 'tool ps: unknown option --all\nRun tool ps --help for usage.\n'],
    [['ps', '--version'], 'tool ps: unknown option --version\nRun tool ps --help for usage.\n'],
  ];
  for (const [argv, err] of problems) t.same(await run(...argv), { code: 2, out: '', err }, argv.join(' '));
  t.same(calls, [], 'no verb ran');
  t.same(
    await run('toolchain', 'which', 'bad'),
    {
      code: 2,
      out: '',
      err: 'tool toolchain which: "bad" is not a pin; write name@version\nRun tool toolchain which --help for usage.\n',
    },
    'a UsageError thrown by the verb is reported the same way',
  );
});
