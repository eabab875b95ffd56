import t from 'tap';
import { PassThrough } from 'node:stream';
import { readLines } from '../../src/child/lines.js';
import { MatcherFeed } from '../../src/child/matcher-feed.js';
import { MatcherEngine, parseMatchers } from '../../src/matchers/index.js';
import type { RecalledRun } from '../../src/matchers/line-memo.js';

// The feed bounds how long matching may hold one event-loop turn (8 ms); what else the turn
// does (the lines' own events, the GC) is paid with or without matchers and must not count.

/** An engine that counts the lines it was given and can be made slow to match. */
class CountingEngine extends MatcherEngine {
  seen: string[] = [];
  matchMs = 0;

  constructor() {
    super(parseMatchers('m', ['$tsc']), '/work', {
      publish: () => true,
      cycle: () => undefined,
      warn: () => undefined,
      cyclesOff: () => undefined,
    });
  }

  override recall(raw: string): boolean {
    this.seen.push(raw);
    return super.recall(raw);
  }

  override recallRun(text: string, start: number, end: number): RecalledRun {
    const run = super.recallRun(text, start, end);
    if (run.lines > 0) this.seen.push(...text.slice(start, run.end - 1).split('\n'));
    return run;
  }

  override match(raw: string): void {
    spin(this.matchMs);
    super.match(raw);
  }
}

/** Holds the CPU, as a turn's other work or a slow regexp does. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
/** One line alone, as readLines gives a line that ended no read. */
const feedLine = (feed: MatcherFeed, line: string) => feed.read(`${line}\n`, line.length + 1);
const problem = 'src/a.ts(1,1): error TS1: a';

t.test("a turn's other work does not count against the matching budget", async (t) => {
  const engine = new CountingEngine();
  const feed = new MatcherFeed(engine);
  feedLine(feed, problem);
  await nextTurn();
  // A new turn: the line events of a big pipe read take 12 ms, the recalled lines almost nothing.
  feedLine(feed, problem);
  spin(12);
  for (let i = 0; i < 100; i++) feedLine(feed, problem);
  t.equal(engine.seen.length, 102, 'every line was matched in the turn it arrived');
});

t.test('matching past 8 ms in one turn waits for the next turns, in order', async (t) => {
  const engine = new CountingEngine();
  engine.matchMs = 3;
  const feed = new MatcherFeed(engine);
  const lines = Array.from({ length: 10 }, (_, i) => `src/a.ts(${i + 1},1): error TS1: a`);
  for (const line of lines) feedLine(feed, line);
  const inFirstTurn = engine.seen.length;
  t.ok(inFirstTurn >= 1 && inFirstTurn <= 3, `${inFirstTurn} of 10 lines of 3 ms were matched in the first turn`);
  while (engine.seen.length < lines.length) await nextTurn();
  t.same(engine.seen, lines, 'the rest followed in order');
});

/** Tiny seeded PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `tsc --watch` output: cycles that mostly reprint the last one, with errors added, dropped or changed. */
function watchOutput(next: () => number, cycles: number, churn: number): string[] {
  const pick = (n: number) => Math.floor(next() * n);
  const error = () => `src/f${pick(6)}.ts(${1 + pick(40)},${1 + pick(9)}): error TS${2300 + pick(30)}: m${pick(5)}`;
  let body = Array.from({ length: 30 }, error);
  const lines: string[] = [];
  for (let c = 0; c < cycles; c++) {
    lines.push('12:00:00 AM - File change detected. Starting incremental compilation...');
    body = body.flatMap((line) => {
      const roll = next() / churn;
      if (roll < 0.03) return [];
      if (roll < 0.06) return [line, error()];
      if (roll < 0.08) return [`${line}!`];
      if (roll < 0.1) return [line, 'Watching: noise'];
      return [line];
    });
    lines.push(...body, `12:00:00 AM - Found ${body.length} errors. Watching for file changes.`);
  }
  return lines;
}

t.test("a read's lines taken as runs give exactly what line-by-line matching gives", async (t) => {
  // Churn 1: one line in ten changes at each cycle; a compiler's reprints change far less (0.1).
  for (const [seed, churn] of [
    [1, 0.1],
    [2, 0.1],
    [3, 1],
  ] as const) {
    for (const eol of ['\n', '\r\n']) {
      const next = random(seed);
      const lines = watchOutput(next, 60, churn);
      const observe = () => {
        const files = new Map<string, string[]>();
        const cycles: string[] = [];
        const engine = new MatcherEngine(parseMatchers('m', ['$tsc-watch']), '/work', {
          publish: (file, list) => {
            files.set(
              file,
              list.map((d) => `${d.range.start.line}:${d.message}`),
            );
            return true;
          },
          cycle: (event) => cycles.push(event.phase === 'end' ? `end ${event.errors}/${event.files}` : 'start'),
          warn: () => undefined,
          cyclesOff: () => undefined,
        });
        engine.start();
        return { engine, files, cycles };
      };
      const alone = observe();
      for (const line of lines) alone.engine.line(line);
      alone.engine.flush();

      // As readLines gives them: each pipe read (cut anywhere) whole.
      const fed = observe();
      let taken = 0;
      const recallRun = fed.engine.recallRun.bind(fed.engine);
      fed.engine.recallRun = (text, start, end) => {
        const run = recallRun(text, start, end);
        taken += run.lines;
        return run;
      };
      const feed = new MatcherFeed(fed.engine);
      const all = lines.map((line) => `${line}${eol}`).join('');
      let rest = '';
      for (let at = 0; at < all.length; ) {
        const size = 1 + Math.floor(next() * 3000);
        rest += all.slice(at, at + size);
        at += size;
        const last = rest.lastIndexOf('\n');
        if (last < 0) continue;
        feed.read(rest, last + 1);
        rest = rest.slice(last + 1);
        // Spread over turns as a pipe is, so no turn runs past the matching budget.
        await nextTurn();
      }
      feed.settle();
      const label = `seed ${seed}, churn ${churn}, ${eol === '\n' ? 'LF' : 'CRLF'}`;
      t.same(fed.cycles, alone.cycles, `${label}: the same ${alone.cycles.length} cycle events`);
      t.same(fed.files, alone.files, `${label}: the same diagnostics in ${alone.files.size} files`);
      // Each cycle's two boundary lines, and the lines around a change, always go one by one.
      const least = churn < 1 ? lines.length / 4 : 1;
      if (eol === '\r\n') t.equal(taken, 0, `${label}: CRLF lines all went one by one`);
      else t.ok(taken >= least, `${label}: ${taken} of ${lines.length} lines were taken as runs`);
    }
  }
});

t.test('readLines gives the lines one by one, then each read whole, then a last line alone', async (t) => {
  const stream = new PassThrough();
  const events: string[] = [];
  readLines(
    stream,
    (line) => events.push(`line ${line}`),
    (text, end) => events.push(`read ${JSON.stringify(text.slice(0, end))}`),
  );
  const ended = new Promise((resolve) => stream.on('end', resolve));
  stream.write('a\r\nb');
  stream.write('c\nd\n');
  stream.write('partial');
  stream.end();
  await ended;
  t.same(events, [
    'line a',
    'read "a\\r\\n"',
    'line bc',
    'line d',
    'read "bc\\nd\\n"',
    'line partial',
    'read "partial\\n"',
  ]);
});
