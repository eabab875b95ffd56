// parseVerbArgs is pure: a verb's declarations against argument lists, without a process.
// The real verbs are run through the CLI in run.test.ts.
import t from 'tap';
import { parseVerbArgs } from '../../src/cli/parse-verb-args.js';
import { defineVerb } from '../../src/cli/verbs/verb.js';

const logs = defineVerb({
  name: 'logs',
  summary: 'a verb shaped like issue 18’s',
  positionals: [
    { name: 'id', required: true, description: 'the child' },
    { name: 'file', description: 'where to write' },
  ],
  options: {
    follow: { type: 'boolean', short: 'f', description: 'keep following' },
    tail: { type: 'string', short: 'n', value: '<lines>', description: 'how many lines' },
  },
  description: '',
  run: () => Promise.resolve(0),
});

const parse = (...argv: string[]) => parseVerbArgs(logs, argv);

t.test('options in every form parseArgs knows, and positionals around them', async (t) => {
  t.same(parse('web', '--follow', '--tail', '20'), {
    kind: 'args',
    args: { values: { follow: true, tail: '20' }, positionals: ['web'] },
  });
  t.same(parse('-fn', '5', 'web', 'out.txt'), {
    kind: 'args',
    args: { values: { follow: true, tail: '5' }, positionals: ['web', 'out.txt'] },
  });
  t.same(parse('--tail=-5', 'web'), { kind: 'args', args: { values: { tail: '-5' }, positionals: ['web'] } });
  t.same(
    parse('web', '--', '--follow'),
    {
      kind: 'args',
      args: { values: {}, positionals: ['web', '--follow'] },
    },
    'after --, an option-looking word is a positional',
  );
  t.same(
    parse('web', '--tail', '1', '--tail', '2'),
    {
      kind: 'args',
      args: { values: { tail: '2' }, positionals: ['web'] },
    },
    'the last of a repeated option wins',
  );
});

t.test('--help or -h anywhere before -- asks for help, whatever else is wrong', async (t) => {
  const asks = [['--help'], ['-h'], ['--bogus', 'a', 'b', 'c', '-h'], ['-fh'], ['web', '--tail', '--help']];
  for (const argv of asks) t.same(parse(...argv), { kind: 'help' }, argv.join(' '));
  t.same(parse('web', '--', '--help'), { kind: 'args', args: { values: {}, positionals: ['web', '--help'] } });
});

t.test('the first problem is named: unknown option, missing or stray value, positionals', async (t) => {
  const problems: [string[], string][] = [
    [['web', '--bogus', '--also-bogus'], 'unknown option --bogus'],
    [['web', '-x'], 'unknown option -x'],
    [['web', '--tail'], '--tail needs a value: --tail <lines>'],
    [
      ['web', '--tail', '--follow'],
      '--tail needs a value: --tail <lines>; got the option --follow (for a value that starts with "-", write --tail=--follow)',
    ],
    [['web', '-n'], '-n needs a value: -n <lines>'],
    [['web', '--follow=yes'], '--follow takes no value; got yes'],
    [['web', 'out.txt', 'more'], 'unexpected argument "more" (it takes <id> [file])'],
    [['--follow'], 'missing <id>'],
  ];
  for (const [argv, problem] of problems) t.same(parse(...argv), { kind: 'problem', problem }, argv.join(' '));
  const none = defineVerb({ ...logs, positionals: [], options: {} });
  t.same(parseVerbArgs(none, ['x']), { kind: 'problem', problem: 'unexpected argument "x" (it takes none)' });
  t.same(
    parseVerbArgs(none, ['--constructor']),
    { kind: 'problem', problem: 'unknown option --constructor' },
    'an inherited property name is not a declared option',
  );
});

t.test('--ui takes an optional port and nothing else: the dashboard binds loopback only', async (t) => {
  const { runVerb } = await import('../../src/cli/verbs/run.js');
  const run = (...argv: string[]) => parseVerbArgs(runVerb, argv);
  t.match(run('--ui'), { kind: 'args', args: { values: { ui: '' }, positionals: [] } }, 'alone: any free port');
  t.match(run('--ui', '8080', 'c.json'), { kind: 'args', args: { values: { ui: '8080' }, positionals: ['c.json'] } });
  t.match(
    run('--ui', 'c.json'),
    { kind: 'args', args: { values: { ui: '' }, positionals: ['c.json'] } },
    'a config stays',
  );
  for (const address of ['0.0.0.0:8080', '[::]:8080', 'example.com']) {
    t.match(
      run(`--ui=${address}`),
      { kind: 'problem', problem: /^--ui takes a port number, or no value for any free port; got "/ },
      `--ui=${address} is refused`,
    );
  }
});
