import t from 'tap';
import { nodeSpec, startSupervisor } from '../helpers/index.js';

// Every mistake in matchers and readyWhen is a TypeError thrown by spawn at once, naming the
// field and quoting the value; nothing is spawned for it.

t.test('bad matchers and readyWhen are TypeErrors at spawn, naming the field', async (t) => {
  const sup = await startSupervisor(t);
  let spawned = 0;
  sup.on('child', () => spawned++);
  const spec = (extra: Record<string, unknown>) =>
    nodeSpec('bad', 'prints-on-signal.cjs', { connect: 'none', ...extra });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'an invalid regexp',
      { matchers: [{ pattern: { regexp: '^(\\S+:(\\d+)' } }] },
      /^child "bad": spec\.matchers\[0\]\.pattern\.regexp is not a valid regular expression: .*Unterminated group; got "/,
    ],
    [
      'an unknown built-in',
      { matchers: ['$tsc', '$typescript'] },
      /^child "bad": spec\.matchers\[1\] is not a built-in matcher; known: '\$tsc', '\$tsc-watch', '\$gcc', '\$eslint-compact', '\$eslint-stylish'; got "\$typescript"/,
    ],
    [
      'an unknown built-in pattern',
      { matchers: [{ pattern: '$gcc' }] },
      /spec\.matchers\[0\]\.pattern is not a built-in pattern; known: '\$tsc', '\$eslint-compact', '\$eslint-stylish'/,
    ],
    [
      'patterns without a file',
      {
        matchers: [
          {
            pattern: [
              { regexp: '^x (\\d+)$', line: 1 },
              { regexp: '^(.*)$', message: 1 },
            ],
          },
        ],
      },
      /spec\.matchers\[0\]\.pattern must have a file group \(file\)/,
    ],
    [
      'patterns without a message',
      {
        matchers: [
          {
            pattern: [
              { regexp: '^(\\S+)$', file: 1 },
              { regexp: '^ (\\d+)$', line: 1 },
            ],
          },
        ],
      },
      /spec\.matchers\[0\]\.pattern must have a message group \(message\)/,
    ],
    [
      'a group the regexp does not have',
      { matchers: [{ pattern: { regexp: '^(\\S+) (.*)$', message: 3 } }] },
      /spec\.matchers\[0\]\.pattern\.message \(a group of "\^\(\\\\S\+\) \(\.\*\)\$"\) must be an integer from 0 to 2; got 3/,
    ],
    [
      'loop on a pattern that is not the last',
      {
        matchers: [
          {
            pattern: [
              { regexp: '^(\\S+)$', file: 1, loop: true },
              { regexp: '^(.*)$', message: 1, line: 1 },
            ],
          },
        ],
      },
      /spec\.matchers\[0\]\.pattern\[0\]\.loop is allowed on the last of several patterns only/,
    ],
    [
      'a nested quantifier',
      { matchers: [{ pattern: { regexp: '^(\\w+\\s?)+:(\\d+)$' } }] },
      /spec\.matchers\[0\]\.pattern\.regexp repeats a group that itself repeats without bound \("\(\\\\w\+\\\\s\?\)\+"\)/,
    ],
    [
      'an unknown key',
      { matchers: [{ pattern: '$tsc', label: 'tsc' }] },
      /spec\.matchers\[0\] has an unknown option "label"/,
    ],
    [
      'a bad fileLocation',
      { matchers: [{ pattern: '$tsc', fileLocation: 'workspace' }] },
      /fileLocation must be 'relative'/,
    ],
    [
      'background without an endsPattern',
      { matchers: [{ pattern: '$tsc', background: { beginsPattern: 'b' } }] },
      /spec\.matchers\[0\]\.background\.endsPattern is required/,
    ],
    ['matchers not an array', { matchers: '$tsc' }, /spec\.matchers must be an array/],
    [
      "readyWhen 'cycle' without a background matcher",
      { matchers: ['$tsc'], readyWhen: 'cycle' },
      /spec\.readyWhen "cycle" needs a matcher with background/,
    ],
    [
      "readyWhen 'connect' on a plain process",
      { readyWhen: 'connect' },
      /spec\.readyWhen "connect" needs connect: 'required'/,
    ],
    [
      'an unknown readyWhen',
      { readyWhen: 'soon' },
      /spec\.readyWhen must be one of 'connect', 'spawn', 'cycle', 'port', \{ line \}, \{ port \}, \{ tcp \}, \{ http \}; got "soon"/,
    ],
    ['a bad line regexp', { readyWhen: { line: '[' } }, /spec\.readyWhen\.line is not a valid regular expression/],
    [
      'matchers with stdio inherit',
      { stdio: 'inherit', matchers: ['$tsc'] },
      /spec\.matchers of child "bad" reads the child's output, which stdio "inherit" keeps from procwire/,
    ],
    [
      'a line wait with stdio ignore',
      { stdio: 'ignore', readyWhen: { line: 'x' } },
      /spec\.readyWhen\.line of child "bad" reads the child's output, which stdio "ignore" keeps from procwire/,
    ],
    [
      'a bad stream',
      { readyWhen: { line: 'x', stream: 'both' } },
      /spec\.readyWhen\.stream must be one of 'stdout', 'stderr'/,
    ],
  ];
  for (const [what, extra, message] of cases) {
    t.throws(() => sup.spawn(spec(extra)), { name: 'TypeError', message }, what);
  }
  t.equal(spawned, 0, 'nothing was created for any of them');
});
