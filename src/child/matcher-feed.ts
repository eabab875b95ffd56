import type { Readable } from 'node:stream';
import type { MatcherEngine } from '../matchers/index.js';

// How long matching may take in one event-loop turn before the rest waits for the next. A
// pipe read delivers up to 2 MiB in one turn (libuv reads up to 32 times 64 KiB); matched at
// once, 20,000 short lines would hold the parent's loop for 100 ms or more. Only matching
// counts: the turn's own line events and GC are paid with or without matchers, and counting
// them queued (and so kept alive across turns, for the GC to copy) most lines of every big read.
const TURN_BUDGET_MS = 8;
// What a line the engine recalls (see MatcherEngine.recall) is counted as: about 5 times what
// it costs (0.05-0.1 µs), so that timing it, which costs as much, is not needed. A line taken
// in a run (MatcherEngine.recallRun) counts the same, though it costs far less.
const RECALLED_LINE_MS = 0.00025;
// Lines waiting beyond this pause the child's pipes (it then blocks in write) until half are done.
const HIGH_WATER_LINES = 50_000;
// What a run's exit may spend matching its backlog at once (see settle).
const SETTLE_BUDGET_MS = 50;
// What was found is published at most this often while lines keep coming: a file's whole list
// is sent at every publish, so publishing after every pipe read made a flood of new problems
// cost the square of a file's size. Cycle boundaries publish at once (see DiagnosticSets).
const PUBLISH_EVERY_MS = 20;
// A run of fewer lines than this did not pay for trying it (a few string comparisons and a
// hash); after this many in a row, the rest of a read goes line by line. Output whose order
// changes at every reprint (parallel jobs) then costs a few tries per read instead of one per line.
const SHORT_RUN_LINES = 4;
const SHORT_RUNS_IN_A_ROW = 4;

/** Lines of a pipe read not matched yet: `text` from `pos` to `end` (a line's end). */
interface Waiting {
  text: string;
  pos: number;
  end: number;
}

/**
 * Feeds one run's output (as printed) to its matcher engine without letting a flood stall
 * the parent: lines are matched at once while the current event-loop turn has spent less
 * than 8 ms matching, and queued for the next turns otherwise, in order. A queue of 50,000
 * lines pauses the child's stdout and stderr until it is half done, so memory stays bounded
 * however fast the child prints. What the engine found is published within 20 ms.
 *
 * It takes a pipe read's lines as one piece of text (`read`), after their line events: the
 * per-line path that every output line takes stays as short as without matchers, and the
 * engine recalls a reprinted stretch with one comparison (MatcherEngine.recallRun) rather
 * than line by line. Both matter most in a fresh parent, where V8 compiles the line path
 * (several times, inlined into each caller) on threads whose CPU the parent pays.
 */
export class MatcherFeed {
  readonly #engine: MatcherEngine;
  #streams: Readable[] = [];
  #queue: Waiting[] = [];
  /** Lines in the queue. */
  #waiting = 0;
  // This turn's matching so far: lines recalled, and time spent on the others. Kept as numbers
  // that are never undefined, so V8 updates them in place rather than boxing each new value.
  #turnOpen = false;
  #recalled = 0;
  #spentMs = 0;
  /** Lines the last `#take` went through. */
  #took = 0;
  #drainQueued = false;
  #flushQueued = false;
  #paused = false;
  #retired = false;

  constructor(engine: MatcherEngine) {
    this.#engine = engine;
  }

  /** The pipes to pause when too much waits. */
  attach(streams: Readable[]): void {
    this.#streams = streams;
  }

  /** Stops all work: a newer run took over. */
  retire(): void {
    this.#retired = true;
    this.#queue = [];
    this.#waiting = 0;
    this.#resume();
  }

  /**
   * The lines of `text` up to `end` (each ending in `\n`, a `\r` before it dropped): a pipe
   * read's whole lines, given after their line events, or one line that ended no read. Where
   * they are lines printed before, in the same order, the engine takes them as a run; a line
   * that breaks the run (a new error, a cycle's boundary) goes alone, and a run is tried again
   * after the next line the engine recalls. What waits in the queue comes first; past this
   * turn's budget, the rest is queued.
   */
  read(text: string, end: number): void {
    if (this.#retired || end === 0) return;
    if (!this.#turnOpen) this.#openTurn();
    const pos = this.#queue.length > 0 ? 0 : this.#take(text, 0, end, TURN_BUDGET_MS);
    if (pos >= end) return;
    this.#queue.push({ text, pos, end });
    this.#waiting += countLines(text, pos, end);
    this.#scheduleDrain();
    if (this.#waiting >= HIGH_WATER_LINES) this.#pause();
  }

  /**
   * Gives the engine the lines of `text` from `pos` to `end`, in order, while this turn's
   * matching stays within `budgetMs`; returns where the first line it did not take starts.
   */
  #take(text: string, pos: number, end: number, budgetMs: number): number {
    const engine = this.#engine;
    let took = 0;
    let runs = true;
    let tryRun = true;
    let shortRuns = 0;
    while (pos < end && this.#spentMs + this.#recalled * RECALLED_LINE_MS <= budgetMs) {
      if (tryRun) {
        const run = engine.recallRun(text, pos, end);
        // Counted as its lines recalled one by one would be, not timed: a run costs less, and a
        // clock read around it would charge the turn for whatever preempted it.
        this.#recalled += Math.max(1, run.lines);
        took += run.lines;
        pos = run.end;
        shortRuns = run.lines < SHORT_RUN_LINES ? shortRuns + 1 : 0;
        if (shortRuns === SHORT_RUNS_IN_A_ROW) runs = false;
        // The line that broke the run goes alone, after the budget is looked at again.
        tryRun = false;
        continue;
      }
      const nl = text.indexOf('\n', pos);
      const line = nl > pos && text.charCodeAt(nl - 1) === CR ? text.slice(pos, nl - 1) : text.slice(pos, nl);
      pos = nl + 1;
      took++;
      if (engine.recall(line)) {
        this.#recalled++;
        tryRun = runs;
      } else {
        const started = performance.now();
        engine.match(line);
        this.#spentMs += performance.now() - started;
      }
    }
    this.#took = took;
    return pos;
  }

  /** The first line of a turn: its budget starts, and at its end what was found is published. */
  #openTurn(): void {
    this.#turnOpen = true;
    setImmediate(() => {
      this.#turnOpen = false;
      this.#recalled = 0;
      this.#spentMs = 0;
      if (!this.#retired) this.#scheduleFlush();
    });
  }

  /**
   * Matches the queued lines now, up to 50 ms of work, and publishes what was found: the
   * process exited, and its `exit` event should not come before the diagnostics of what it
   * printed. A longer backlog (a flood just before the exit) goes on in later turns as usual,
   * so an exit never stalls the parent for long; so do lines its pipes still hold.
   */
  settle(): void {
    if (this.#retired) return;
    this.#drain(SETTLE_BUDGET_MS);
    if (this.#engine.pending) this.#engine.flush();
  }

  #scheduleFlush(): void {
    if (this.#flushQueued || !this.#engine.pending) return;
    this.#flushQueued = true;
    setTimeout(() => {
      this.#flushQueued = false;
      if (!this.#retired) this.#engine.flush();
    }, PUBLISH_EVERY_MS);
  }

  #scheduleDrain(): void {
    if (this.#drainQueued) return;
    this.#drainQueued = true;
    setImmediate(() => this.#drain());
  }

  /** Matches queued lines, in order, for up to `budgetMs`; what is left waits for the next turn. */
  #drain(budgetMs = TURN_BUDGET_MS): void {
    this.#drainQueued = false;
    if (this.#retired) return;
    // A budget of its own, whatever this turn's reads spent.
    if (!this.#turnOpen) this.#openTurn();
    this.#spentMs = 0;
    this.#recalled = 0;
    const queue = this.#queue;
    let done = 0;
    while (done < queue.length) {
      const waiting = queue[done] as Waiting;
      waiting.pos = this.#take(waiting.text, waiting.pos, waiting.end, budgetMs);
      this.#waiting -= this.#took;
      if (waiting.pos < waiting.end) break;
      done++;
    }
    if (done > 0) queue.splice(0, done);
    this.#scheduleFlush();
    if (queue.length > 0) this.#scheduleDrain();
    if (this.#waiting < HIGH_WATER_LINES / 2) this.#resume();
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    for (const stream of this.#streams) stream.pause();
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const stream of this.#streams) stream.resume();
  }
}

const CR = 13;

/** How many lines `text` has from `pos` to `end` (a line's end). */
function countLines(text: string, pos: number, end: number): number {
  let lines = 0;
  for (let nl = text.indexOf('\n', pos); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) lines++;
  return lines;
}
