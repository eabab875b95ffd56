import t from 'tap';
import { expectRegExp, nestedUnboundedQuantifier } from '../../src/options/regexp.js';
import { BUILTIN_MATCHERS, BUILTIN_PATTERNS } from '../../src/matchers/builtins.js';

// A user's regexp runs on every output line in the parent's event loop. The line cap bounds
// its input; the shape whose backtracking is exponential in that input is refused up front.

t.test('nested unbounded quantifiers are found, wherever they hide', async (t) => {
  const dangerous: [string, string][] = [
    ['^(a+)+$', '(a+)+'],
    ['(\\s*\\w+)*x', '(\\s*\\w+)*'],
    ['^((a+))+', '((a+))+'],
    ['((a+)?)*', '((a+)?)*'],
    ['(?:x|\\d+){2,}', '(?:x|\\d+){2,}'],
    ['(a{1,50})+', '(a{1,50})+'],
    ['(?<n>[^,]+,)+$', '(?<n>[^,]+,)+'],
    ['(a+?)+?', '(a+?)+?'],
  ];
  for (const [source, group] of dangerous) t.equal(nestedUnboundedQuantifier(source), group, source);
});

t.test('common safe shapes pass, and so does every built-in', async (t) => {
  const safe = [
    '^(\\d)+$',
    '(\\d{1,2}){1,3}',
    '(?:[a-zA-Z]:)*[./\\\\]+',
    '(├\\D*\\d{1,2}\\D+┤)?',
    '[(+)]+',
    '\\(a+\\)+',
    'a{2}b{1,3}',
    '(x)+(y+)',
    '{+}',
  ];
  for (const source of safe) t.equal(nestedUnboundedQuantifier(source), undefined, source);
  const sources = [
    ...Object.values(BUILTIN_PATTERNS)
      .flat()
      .map((p) => p.regexp),
    ...Object.values(BUILTIN_MATCHERS).flatMap((m) => {
      const b = m.background;
      return b ? [b.beginsPattern, b.endsPattern].map((p) => (typeof p === 'string' ? p : p.regexp)) : [];
    }),
  ];
  for (const source of sources) t.equal(nestedUnboundedQuantifier(source), undefined, source);
});

t.test('expectRegExp: a TypeError naming the field and quoting the value', async (t) => {
  t.throws(() => expectRegExp('spec.x', '(unclosed'), {
    name: 'TypeError',
    message: /^spec\.x is not a valid regular expression.*"\(unclosed"/,
  });
  t.throws(() => expectRegExp('spec.x', 42), {
    name: 'TypeError',
    message: /^spec\.x must be a non-empty regular expression string; got 42/,
  });
  t.throws(() => expectRegExp('spec.x', '^(a+)+$'), {
    name: 'TypeError',
    message: /^spec\.x repeats a group .*"\(a\+\)\+"/,
  });
  t.ok(expectRegExp('spec.x', '^ok$').test('ok'));
});
