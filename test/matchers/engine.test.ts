import t from 'tap';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Diagnostic } from '../../src/index.js';
import { MatcherEngine, parseMatchers, type CycleEvent } from '../../src/matchers/index.js';

// The engine is pure (lines in, diagnostics and cycles out), so VS Code's semantics are
// checked here line by line; the real compilers run in the other files of this folder.

function run(matchers: unknown[], lines: string[], cwd = '/work') {
  const files = new Map<string, Diagnostic[]>();
  const events: (CycleEvent | string)[] = [];
  const engine = new MatcherEngine(parseMatchers('m', matchers), cwd, {
    publish: (file, list) => {
      if (list.length === 0) files.delete(file);
      else files.set(file, list);
      events.push(`publish ${file} ${list.length}`);
      return true;
    },
    cycle: (event) => events.push(event),
    warn: (message) => events.push(`warn ${message}`),
    cyclesOff: () => events.push('cycles off'),
  });
  engine.start();
  // As printed, as RunOutput gives them: the engine cleans what it does not recall.
  for (const line of lines) engine.line(line);
  engine.flush();
  return { files, events, engine };
}

const range = (line: number, character: number, endLine = line, endCharacter = character) => ({
  start: { line, character },
  end: { line: endLine, character: endCharacter },
});

t.test('single pattern: default groups (file 1, line 2, column 3, message 0), 1-based to 0-based', async (t) => {
  const { files } = run([{ pattern: { regexp: '^(\\S+):(\\d+):(\\d+) .*$' } }], ['a.c:3:7 oops']);
  t.same(files.get('/work/a.c'), [{ range: range(2, 6), severity: 1, message: 'a.c:3:7 oops', source: 'matchers[0]' }]);
});

t.test('a default is taken only for a group the regexp has and no named field uses', async (t) => {
  // VS Code would default column to group 3, the message, and read "12 apples" as column 12.
  const { files } = run(
    [{ pattern: { regexp: '^(\\S+):(\\d+): (.*)$', file: 1, line: 2, message: 3 } }],
    ['a.c:3: 12 apples'],
  );
  t.same(files.get('/work/a.c'), [
    { range: range(2, 0, 2, 2 ** 31 - 2), severity: 1, message: '12 apples', source: 'matchers[0]' },
  ]);
  // Nothing for line (group 2 is the message) or file (group 1 is the message): refused, named.
  t.throws(() => parseMatchers('m', [{ pattern: { regexp: '^(\\S+): (.*)$', file: 1, message: 2 } }]), {
    name: 'TypeError',
    message: /m\[0\]\.pattern must have a line or location group/,
  });
  t.throws(() => parseMatchers('m', [{ pattern: { regexp: '^(.*)$', message: 1 } }]), {
    name: 'TypeError',
    message: /m\[0\]\.pattern must have a file group/,
  });
});

t.test('locations: no column is the whole line; location groups of 1, 2 and 4 numbers; kind file', async (t) => {
  const pattern = { regexp: '^(\\S+)\\(([\\d,]+)\\): (.*)$', location: 2, message: 3 };
  const { files } = run([{ pattern }], ['a.ts(4): x', 'b.ts(4,2): y', 'c.ts(4,2,5,9): z']);
  t.same(files.get('/work/a.ts')?.[0]?.range, range(3, 0, 3, 2 ** 31 - 2), 'line only: the whole line');
  t.same(files.get('/work/b.ts')?.[0]?.range, range(3, 1), 'line,column: an empty range there');
  t.same(files.get('/work/c.ts')?.[0]?.range, range(3, 1, 4, 8), 'line,column,endLine,endColumn');
  const { files: whole } = run([{ pattern: { regexp: '^(\\S+): (.*)$', kind: 'file', message: 2 } }], ['d.ts: w']);
  t.same(whole.get('/work/d.ts')?.[0]?.range, range(0, 0), "kind 'file': the file's start");
});

t.test("severity: words in any case, E/W/I, hint and note as info, else the matcher's", async (t) => {
  const lines = ['ERROR', 'Warning', 'warn', 'info', 'E', 'W', 'I', 'hint', 'NOTE', 'fatal', 'e'].map(
    (word, i) => `f.c:${i + 1}: ${word}: m`,
  );
  const matcher = {
    severity: 'warning',
    pattern: { regexp: '^(\\S+):(\\d+): (\\w+): (.*)$', severity: 3, message: 4 },
  };
  const { files } = run([matcher], lines);
  t.same(
    files.get('/work/f.c')?.map((d) => d.severity),
    [1, 2, 2, 3, 1, 2, 3, 3, 3, 2, 2],
  );
});

t.test('two lines with loop: each following line is a problem sharing the first line (eslint-stylish)', async (t) => {
  const { files } = run(
    ['$eslint-stylish'],
    [
      '',
      '/src/a.js',
      '  1:7  error    x is unused  no-unused-vars',
      '  2:1  warning  Unexpected console statement  no-console',
      '',
      '/src/b.js',
      '  3:5  error  y is unused  no-unused-vars',
      '✖ 3 problems (2 errors, 1 warning)',
    ],
  );
  t.same(files.get('/src/a.js'), [
    { range: range(0, 6), severity: 1, message: 'x is unused', source: 'eslint', code: 'no-unused-vars' },
    { range: range(1, 0), severity: 2, message: 'Unexpected console statement', source: 'eslint', code: 'no-console' },
  ]);
  t.same(
    files.get('/src/b.js')?.map((d) => d.code),
    ['no-unused-vars'],
  );
});

t.test('multi-line messages are joined; a line that breaks the sequence starts afresh', async (t) => {
  const matcher = {
    pattern: [
      { regexp: '^ERROR in (\\S+)$', file: 1 },
      { regexp: '^  line (\\d+): (.*)$', line: 1, message: 2 },
      { regexp: '^  hint: (.*)$', message: 1 },
    ],
  };
  const { files } = run(
    [matcher],
    ['ERROR in x.ts', 'noise', 'ERROR in y.ts', '  line 2: bad', '  hint: fix it', 'ERROR in z.ts', '  line 1: also'],
  );
  t.same([...files.keys()], ['/work/y.ts']);
  t.equal(files.get('/work/y.ts')?.[0]?.message, 'bad\nfix it');
});

t.test('$gcc: severities, an empty column is the whole line, notes are not problems', async (t) => {
  const { files } = run(
    ['$gcc'],
    [
      "c.c: In function 'main':",
      "c.c:3:10: error: 'y' undeclared",
      'c.c:3:10: note: each undeclared identifier is reported only once',
      "c.c:2:7: warning: unused variable 'u' [-Wunused-variable]",
      'c.c:9:: fatal error: x.h: No such file or directory',
    ],
    '/proj',
  );
  t.same(
    files.get('/proj/c.c')?.map((d) => [d.severity, d.range.start, d.range.end.character]),
    [
      [1, { line: 2, character: 9 }, 9],
      [2, { line: 1, character: 6 }, 6],
      [1, { line: 8, character: 0 }, 2 ** 31 - 2],
    ],
  );
});

t.test('$eslint-compact', async (t) => {
  const { files } = run(['$eslint-compact'], ['/s/a.js: line 2, col 3, Warning - Unexpected console (no-console)']);
  t.same(files.get('/s/a.js'), [
    { range: range(1, 2), severity: 2, message: 'Unexpected console', source: 'eslint', code: 'no-console' },
  ]);
});

t.test('colour, carriage returns and overlong lines are handled before matching, reprinted too', async (t) => {
  const printed = [
    '\x1b[96msrc/a.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m7\x1b[0m - \x1b[91merror\x1b[0m\x1b[90m TS2322: \x1b[0mBad.',
    'progress 50%\rsrc/b.ts(2,1): error TS1005: Expected.\r',
    `src/c.ts(1,1): error TS1: ${'x'.repeat(10_000)}`,
  ];
  const { files } = run(['$tsc'], [...printed, ...printed]);
  t.equal(files.get('/work/src/a.ts')?.length, 1, 'the reprinted colour line is the same problem');
  t.same(files.get('/work/src/a.ts')?.[0], {
    range: range(0, 6),
    severity: 1,
    message: 'Bad.',
    source: 'ts',
    code: '2322',
  });
  t.equal(files.get('/work/src/b.ts')?.[0]?.code, '1005');
  t.equal(files.get('/work/src/c.ts')?.[0]?.message.length, 4096 - 'src/c.ts(1,1): error TS1: '.length);
});

t.test('without background, a run accumulates; an identical problem is kept once', async (t) => {
  const line = 'src/a.ts(1,1): error TS1: one';
  const { files } = run(['$tsc'], [line, 'src/a.ts(2,1): error TS2: two', line]);
  t.equal(files.get('/work/src/a.ts')?.length, 2);
});

t.test('a problem printed between cycles and reprinted in the next cycle is kept at its end', async (t) => {
  // Recalled in the new cycle, it must count there: the cycle's begin forgot what it held.
  const begin = '12:00:00 AM - File change detected. Starting incremental compilation...';
  const end = '12:00:00 AM - Found 1 error. Watching for file changes.';
  const problem = 'src/a.ts(1,1): error TS1: a';
  const { files, events } = run(['$tsc-watch'], [end, problem, begin, problem, end]);
  const ends = events.filter((e) => typeof e !== 'string' && e.phase === 'end');
  t.match(ends[1], { errors: 1, files: 1 }, 'the second cycle ended holding the problem');
  t.same([...files.keys()], ['/work/src/a.ts']);
});

t.test('a problem seen again after its file was refused (over a cap) is published again', async (t) => {
  // The second line is recalled, not matched: it must not be taken for already held.
  const sent: string[] = [];
  let refuse = true;
  const engine = new MatcherEngine(parseMatchers('m', ['$tsc']), '/work', {
    publish: (file, list) => {
      sent.push(`${file} ${list.length}`);
      return !(refuse && list.length > 0);
    },
    cycle: () => undefined,
    warn: () => undefined,
    cyclesOff: () => undefined,
  });
  const line = 'src/a.ts(1,1): error TS1: one';
  engine.line(line);
  engine.flush();
  refuse = false;
  engine.line(line);
  engine.flush();
  t.same(sent, ['/work/src/a.ts 1', '/work/src/a.ts 0', '/work/src/a.ts 1']);
});

t.test('cycles: activeOnStart, begin lines, end lines; a file not reported again is cleared', async (t) => {
  const time = '12:00:00 AM - ';
  const { files, events } = run(
    ['$tsc-watch'],
    [
      `${time}Starting compilation in watch mode...`,
      'src/a.ts(1,1): error TS1: a',
      'src/b.ts(1,1): error TS2: b',
      `${time}Found 2 errors. Watching for file changes.`,
      `${time}File change detected. Starting incremental compilation...`,
      'src/b.ts(1,1): error TS2: b',
      'src/b.ts(2,1): error TS3: b2',
      `${time}Found 2 errors. Watching for file changes.`,
    ],
  );
  const phases = events.map((e) =>
    typeof e === 'string' ? e : `${e.phase}${e.phase === 'end' ? ` ${e.errors}/${e.warnings}/${e.files}` : ''}`,
  );
  t.same(phases, [
    'start',
    'publish /work/src/a.ts 1',
    'publish /work/src/b.ts 1',
    'end 2/0/2',
    'start',
    'publish /work/src/b.ts 2',
    'publish /work/src/a.ts 0',
    'end 2/0/1',
  ]);
  t.same([...files.keys()], ['/work/src/b.ts']);
});

t.test(
  "cycles: a begin line while a cycle runs is ordinary; a begin pattern's file narrows the clearing",
  async (t) => {
    const matcher = {
      owner: 'w',
      pattern: { regexp: '^(\\S+):(\\d+) (.*)$', message: 3 },
      background: { beginsPattern: '^BEGIN ?(\\S*)$', endsPattern: { regexp: '^END$' } },
    };
    const { files, events } = run([matcher], ['BEGIN', 'BEGIN', 'x.c:1 one', 'y.c:1 two', 'END', 'BEGIN x.c', 'END']);
    t.same(
      events.filter((e) => typeof e !== 'string').map((e) => (e as CycleEvent).phase),
      ['start', 'end', 'start', 'end'],
    );
    t.same([...files.keys()], ['/work/y.c'], 'the second cycle concerned x.c only, so y.c stays');
  },
);

t.test('a custom regexp slower than 50 ms on one line switches its matcher off, with a warning', async (t) => {
  // Cubic in the line's length when the line does not end in '=': about a second for 800
  // characters, nothing on short lines.
  const slow = { pattern: { regexp: '^(\\S+):(\\d+) (.*)(.*)(.*)=$', message: 3 } };
  const { files, events } = run([slow], ['a.c:1 fine=', `a.c:2 ${'x'.repeat(800)}`, 'a.c:3 ignored=']);
  t.equal(files.get('/work/a.c')?.length, 1, 'the line before was matched, the one after was not');
  t.match(
    events.find((e) => typeof e === 'string' && e.startsWith('warn')),
    /matchers\[0\].*switched off.*ms/,
  );
});

t.test("a matcher the child's earlier run switched off is not run, begins no cycle, and says so", async (t) => {
  const matchers = parseMatchers('m', [
    {
      pattern: { regexp: '^(\\S+):(\\d+): (.*)$', file: 1, line: 2, message: 3 },
      background: { activeOnStart: true, beginsPattern: '^begin$', endsPattern: '^done$' },
    },
  ]);
  const matcher = matchers[0];
  if (matcher === undefined) throw new Error('parsed no matcher');
  let execs = 0;
  for (const regexp of [
    matcher.patterns[0]?.regexp,
    matcher.background?.begins.regexp,
    matcher.background?.ends.regexp,
  ]) {
    if (regexp === undefined) continue;
    const exec = regexp.exec.bind(regexp);
    regexp.exec = (line: string) => (execs++, exec(line));
  }
  const events: (CycleEvent | string)[] = [];
  const output = {
    publish: (file: string, list: Diagnostic[]) => (events.push(`publish ${file} ${list.length}`), true),
    cycle: (event: CycleEvent) => events.push(event),
    warn: (message: string) => events.push(`warn ${message}`),
    cyclesOff: () => events.push('cycles off'),
  };
  const lines = ['begin', 'a.c:1: a', 'done'];
  const first = new MatcherEngine(matchers, '/work', output);
  first.start();
  for (const line of lines) first.line(line);
  first.flush();
  t.ok(execs > 0 && events.some((e) => typeof e !== 'string' && e.phase === 'end'), 'an engine on its own runs it');

  const switchedOff = new WeakSet<object>([matcher]);
  events.length = 0;
  execs = 0;
  const later = new MatcherEngine(matchers, '/work', output, switchedOff);
  t.equal(later.cyclesOff, true, 'its cycles are off from the start');
  later.start();
  for (const line of lines) later.line(line);
  later.flush();
  t.equal(execs, 0, 'no regexp of it ran');
  t.match(events, [/^warn problem matcher matchers\[0\] \(owner "matchers\[0\]"\) stays switched off: an earlier run/]);
  t.equal(events.length, 1, 'no cycle began (activeOnStart), nothing was published');
});

t.test('lines seen before (memoized) still count: a repeated begin line, a reprinted problem', async (t) => {
  // The first begin line arrives while the activeOnStart cycle runs, so it is an ordinary line;
  // the same text later, when idle, must begin a cycle. The reprinted problem keeps a.ts.
  const begin = '12:00:00 AM - File change detected. Starting incremental compilation...';
  const end = '12:00:00 AM - Found 1 error. Watching for file changes.';
  const problem = 'src/a.ts(1,1): error TS1: a';
  const { files, events } = run(['$tsc-watch'], [begin, problem, end, begin, problem, end, begin, problem, end]);
  const ends = events.filter((e) => typeof e !== 'string' && e.phase === 'end');
  t.equal(ends.length, 3, 'three cycles ended');
  t.match(ends[2], { errors: 1, files: 1 });
  t.same([...files.keys()], ['/work/src/a.ts']);
});

t.test("a diagnostic's strings do not keep the pipe chunk they were cut from alive", async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const files = new Map<string, Diagnostic[]>();
  const engine = new MatcherEngine(parseMatchers('m', ['$tsc']), '/work', {
    publish: (file, list) => (files.set(file, list), true),
    cycle: () => undefined,
    warn: () => undefined,
    cyclesOff: () => undefined,
  });
  engine.start();
  gc();
  const before = process.memoryUsage().heapUsed;
  // 64 chunks of 1 MiB, each with one error in a file of its own, as lines read from a pipe
  // are slices of the chunk they came in: the file name (the map key and the locator's cache),
  // the message and the code are all captures of that slice.
  for (let i = 0; i < 64; i++) {
    // Long enough (13 characters or more) that V8 slices rather than copies them.
    const chunk = `${'x'.repeat(2 ** 20)}\n/src/a/deeper/folder/f${i}.ts(1,1): error TS2322: the message number ${i}\n`;
    engine.line(chunk.slice(2 ** 20 + 1, chunk.length - 1));
  }
  engine.flush();
  gc();
  const grownMiB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  t.equal(files.size, 64, 'every error was found');
  t.match(files.get('/src/a/deeper/folder/f63.ts'), [{ code: '2322', message: 'the message number 63' }]);
  t.ok(grownMiB < 16, `the heap grew ${grownMiB.toFixed(1)} MiB for 64 diagnostics (64 MiB if chunks were kept)`);
});
