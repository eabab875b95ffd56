import t from 'tap';
import type { Child, CycleEvent, Diagnostic } from '../../src/index.js';
import { nextEvent, nodeSpec, startSupervisor, within } from '../helpers/index.js';

// Custom matchers in VS Code's shape over a real process's output (test/fixtures/
// prints-on-signal.cjs prints one block of lines at start and the next at each SIGUSR2).

const printer = (id: string, blocks: unknown[], extra: Record<string, unknown>) =>
  nodeSpec(id, 'prints-on-signal.cjs', { args: [JSON.stringify(blocks)], connect: 'none', ...extra });

const summary = (child: Child): Record<string, string[]> =>
  Object.fromEntries(
    [...child.diagnostics].map(([file, list]) => [
      file,
      list.map(
        (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code} ${d.message}`,
      ),
    ]),
  );

t.test('a multi-line matcher whose last pattern loops, over a real process, with source set', async (t) => {
  const sup = await startSupervisor(t);
  const matcher = {
    owner: 'lint',
    source: 'mylint',
    fileLocation: 'relative',
    pattern: [
      { regexp: '^== (\\S+)$', file: 1 },
      {
        regexp: '^\\s+(\\d+):(\\d+) (\\w+) (\\S+) (.*)$',
        line: 1,
        column: 2,
        severity: 3,
        code: 4,
        message: 5,
        loop: true,
      },
    ],
  };
  const block = [
    '== src/a.x',
    '  1:2 error E1 first',
    '  3:4 warning W2 second',
    'done',
    '== b.x',
    '  5:1 info I3 third',
  ];
  let child!: Child;
  sup.on('child', (c) => (child = c));
  const seen = new Promise<void>((resolve) =>
    sup.on('child', (c) => c.on('diagnostics', (file) => file.endsWith('b.x') && resolve())),
  );
  await sup.spawn(printer('lint', [block], { matchers: [matcher], cwd: '/tmp' }));
  await within(seen, 'the diagnostics for b.x');
  t.same(summary(child), {
    '/tmp/src/a.x': ['0:1 1 E1 first', '2:3 2 W2 second'],
    '/tmp/b.x': ['4:0 3 I3 third'],
  });
  t.equal(child.diagnostics.get('/tmp/b.x')?.[0]?.source, 'mylint');
});

t.test('a background matcher: cycles, readyWhen cycle, and a fix clears only the fixed file', async (t) => {
  const sup = await startSupervisor(t);
  const matcher = {
    owner: 'build',
    pattern: { regexp: '^(\\S+):(\\d+): (error|warning): (.*)$', severity: 3, message: 4 },
    background: { activeOnStart: false, beginsPattern: '^build started$', endsPattern: { regexp: '^build done' } },
  };
  const blocks = [
    ['build started', 'a.c:1: error: one', 'b.c:2: warning: two', 'build done'],
    ['build started', 'b.c:2: warning: two', 'b.c:3: error: three', 'build done'],
  ];
  const cycles: CycleEvent[] = [];
  let child!: Child;
  sup.on('child', (c) => {
    child = c;
    c.on('cycle', (event) => cycles.push(event));
  });
  await sup.spawn(printer('build', blocks, { matchers: [matcher], readyWhen: 'cycle', cwd: '/tmp' }));
  t.match(
    cycles,
    [{ phase: 'start' }, { phase: 'end', owner: 'build', errors: 1, warnings: 1, files: 2 }],
    'ready after the first cycle ended',
  );
  t.same(summary(child), { '/tmp/a.c': ['0:0 1 undefined one'], '/tmp/b.c': ['1:0 2 undefined two'] });
  t.equal(child.diagnostics.get('/tmp/a.c')?.[0]?.range.end.character, 2 ** 31 - 2, 'no column: the whole line');

  const second = nextEvent<[CycleEvent]>(child, 'cycle', 'the second cycle to end', {
    filter: (e) => e.phase === 'end',
  });
  child.signal('SIGUSR2');
  const [end] = await second;
  t.match(end, { phase: 'end', errors: 1, warnings: 1, files: 1 });
  t.ok((end as { durationMs: number }).durationMs >= 0);
  t.same(summary(child), { '/tmp/b.c': ['1:0 2 undefined two', '2:0 1 undefined three'] }, 'a.c was fixed and cleared');
});

t.test('without background, diagnostics accumulate over a run and are cleared when it restarts', async (t) => {
  const sup = await startSupervisor(t);
  const blocks = [['x.c:1: error: one'], ['y.c:1: error: two']];
  let child!: Child;
  sup.on('child', (c) => (child = c));
  const first = new Promise((resolve) => sup.on('child', (c) => c.once('diagnostics', resolve)));
  await sup.spawn(printer('acc', blocks, { matchers: ['$gcc'], cwd: '/tmp' }));
  await within(first, 'the first diagnostics');
  const second = nextEvent(child, 'diagnostics', 'the second file');
  child.signal('SIGUSR2');
  await second;
  t.same(Object.keys(summary(child)).sort(), ['/tmp/x.c', '/tmp/y.c'], 'accumulated');
  const cleared = nextEvent(child, 'diagnostics', 'a file cleared by the restart', {
    filter: (_f, l: unknown[]) => l.length === 0,
  });
  const again = nextEvent(child, 'diagnostics', 'x.c reported by the new run', {
    filter: (_f, l: unknown[]) => l.length > 0,
  });
  await child.restart();
  await cleared;
  await again;
  t.same(Object.keys(summary(child)), ['/tmp/x.c'], 'the new run starts from nothing');
});

t.test('readyWhen { line, stream }: the first matching line on that stream; a timeout names it', async (t) => {
  const sup = await startSupervisor(t);
  // The stdout line matches the regexp too: only the stream keeps it from counting.
  const blocks = [['listening on 1234'], { stderr: ['\x1b[32mlistening\x1b[0m on 5678'] }];
  let child!: Child;
  let spawned = false;
  const printed = new Promise((resolve) =>
    sup.on('child', (c) => {
      child = c;
      c.once('stdout', resolve);
    }),
  );
  const ready = sup
    .spawn(printer('line', blocks, { readyWhen: { line: '^listening on \\d+$', stream: 'stderr' } }))
    .then(() => (spawned = true));
  await within(printed, 'the stdout line');
  await new Promise((resolve) => setImmediate(resolve));
  t.notOk(spawned, 'a matching line on stdout does not make it ready');
  // Not child.signal(): controls wait in order behind the start that is still waiting.
  process.kill(child.pid as number, 'SIGUSR2');
  await within(ready, 'ready at the stderr line, colour stripped');
  t.equal(child.state.kind, 'running');

  await t.rejects(
    sup.spawn(
      printer('never', [['nothing']], { readyWhen: { line: 'ready' }, readyTimeout: '300ms', restart: 'never' }),
    ),
    {
      code: 'READY_TIMEOUT',
      message: /child "never" was not ready within 0\.3 s: it waited for a line of stdout or stderr to match \/ready\//,
    },
  );
  const watch = { pattern: '$tsc', background: { beginsPattern: '^b$', endsPattern: '^e$' } };
  await t.rejects(
    sup.spawn(
      printer('nocycle', [['b']], { matchers: [watch], readyWhen: 'cycle', readyTimeout: '300ms', restart: 'never' }),
    ),
    { code: 'READY_TIMEOUT', message: /waited for its first watch cycle to end/ },
  );
});

t.test('a matcher pasted from a tasks.json: `base` starts from a built-in, `applyTo` is ignored', async (t) => {
  const sup = await startSupervisor(t);
  // As VS Code users tweak $tsc for a project whose tsc runs in src/.
  const matcher = { base: '$tsc', fileLocation: ['relative', '${workspaceFolder}/src'], applyTo: 'allDocuments' };
  const block = ["a.ts(2,5): error TS2322: Type 'string' is not assignable to type 'number'."];
  let child!: Child;
  sup.on('child', (c) => (child = c));
  const seen = new Promise<void>((resolve) => sup.on('child', (c) => c.on('diagnostics', () => resolve())));
  await sup.spawn(printer('tsc', [block], { matchers: [matcher], cwd: '/tmp' }));
  await within(seen, 'the diagnostics of src/a.ts');
  t.same(summary(child), { '/tmp/src/a.ts': ["1:4 1 2322 Type 'string' is not assignable to type 'number'."] });
  t.equal(child.diagnostics.get('/tmp/src/a.ts')?.[0]?.source, 'ts', "the built-in's source");
  t.throws(() => sup.spawn(printer('x', [], { matchers: [{ base: '$nope' }] })), {
    name: 'TypeError',
    message: /matchers\[0\]\.base is not a built-in matcher; known: '\$tsc'/,
  });
  t.throws(() => sup.spawn(printer('y', [], { matchers: [{ base: '$tsc', applyTo: 'everything' }] })), {
    name: 'TypeError',
    message: /matchers\[0\]\.applyTo/,
  });
});
