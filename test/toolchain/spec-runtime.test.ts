import t from 'tap';
import { resolveSpec } from '../../src/child/spec.js';

t.test('spec.runtime is checked up front: a TypeError names the field and quotes the value', async (t) => {
  const spec = (runtime: unknown) => ({ id: 'c', command: 'node', runtime });
  const good: [unknown, unknown][] = [
    [{ node: 'auto' }, { name: 'node', pin: 'auto' }],
    [{ node: '18' }, { name: 'node', pin: '18' }],
    [{ node: ' >=18 <21 ' }, { name: 'node', pin: '>=18 <21' }],
    [{ node: 'lts/*' }, { name: 'node', pin: 'lts/*' }],
    [{ node: 'lts/hydrogen' }, { name: 'node', pin: 'lts/hydrogen' }],
    [{ python: '3.9' }, { name: 'python', pin: '3.9' }],
    [{ python: 'pypy3.10-7.3.12' }, { name: 'python', pin: 'pypy3.10-7.3.12' }],
  ];
  for (const [runtime, expected] of good) t.same(resolveSpec(spec(runtime)).runtime, expected, JSON.stringify(runtime));
  t.equal(resolveSpec({ id: 'c', command: 'x' }).runtime, undefined);
  const bad: [unknown, RegExp][] = [
    ['18', /spec\.runtime of child "c" must be an object; got "18"/],
    [{}, /spec\.runtime of child "c" must name one runtime, \{ node: '18' \} or \{ python: '3\.11' \}; got \{\}/],
    [{ node: '18', python: '3.9' }, /must name one runtime.*got \{"node":"18","python":"3\.9"\}/],
    [{ ruby: '3' }, /spec\.runtime of child "c" has an unknown option "ruby"; known options: node, python/],
    [{ node: 18 }, /spec\.runtime of child "c"\.node must be a non-empty string; got 18/],
    [{ node: '' }, /\.node must be a non-empty string; got ""/],
    [
      { node: 'hello world!!' },
      /\.node is not a version, a range or an nvm alias \(e\.g\. 'auto', '18'.*\); got "hello world!!"/,
    ],
    [{ python: '3.9 || <<' }, /\.python is not a version, a range or a pyenv version name.*got "3\.9 \|\| <<"/],
  ];
  for (const [runtime, message] of bad) {
    t.throws(() => resolveSpec(spec(runtime)), { name: 'TypeError', message }, JSON.stringify(runtime));
  }
});
