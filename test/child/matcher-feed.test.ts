import t from 'tap';
import { MatcherFeed } from '../../src/child/matcher-feed.js';
import { MatcherEngine, parseMatchers } from '../../src/matchers/index.js';

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
const problem = 'src/a.ts(1,1): error TS1: a';

t.test("a turn's other work does not count against the matching budget", async (t) => {
  const engine = new CountingEngine();
  const feed = new MatcherFeed(engine);
  feed.push(problem);
  await nextTurn();
  // A new turn: the line events of a big pipe read take 12 ms, the recalled lines almost nothing.
  feed.push(problem);
  spin(12);
  for (let i = 0; i < 100; i++) feed.push(problem);
  t.equal(engine.seen.length, 102, 'every line was matched in the turn it arrived');
});

t.test('matching past 8 ms in one turn waits for the next turns, in order', async (t) => {
  const engine = new CountingEngine();
  engine.matchMs = 3;
  const feed = new MatcherFeed(engine);
  const lines = Array.from({ length: 10 }, (_, i) => `src/a.ts(${i + 1},1): error TS1: a`);
  for (const line of lines) feed.push(line);
  const inFirstTurn = engine.seen.length;
  t.ok(inFirstTurn >= 1 && inFirstTurn <= 3, `${inFirstTurn} of 10 lines of 3 ms were matched in the first turn`);
  while (engine.seen.length < lines.length) await nextTurn();
  t.same(engine.seen, lines, 'the rest followed in order');
});
