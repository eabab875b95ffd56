import type { Readable } from 'node:stream';
import type { MatcherEngine } from '../matchers/index.js';

// How long matching may take in one event-loop turn before the rest waits for the next. A
// pipe read delivers up to 2 MiB in one turn (libuv reads up to 32 times 64 KiB); matched at
// once, 20,000 short lines would hold the parent's loop for 100 ms or more. Only matching
// counts: the turn's own line events and GC are paid with or without matchers, and counting
// them queued (and so kept alive across turns, for the GC to copy) most lines of every big read.
const TURN_BUDGET_MS = 8;
// What a line the engine recalls (see MatcherEngine.recall) is counted as: about 5 times what
// it costs (0.05-0.1 µs), so that timing it, which costs as much, is not needed.
const RECALLED_LINE_MS = 0.00025;
// Lines waiting beyond this pause the child's pipes (it then blocks in write) until half are done.
const HIGH_WATER_LINES = 50_000;
const CHECK_CLOCK_EVERY = 32;
// What a run's exit may spend matching its backlog at once (see settle).
const SETTLE_BUDGET_MS = 50;
// What was found is published at most this often while lines keep coming: a file's whole list
// is sent at every publish, so publishing after every pipe read made a flood of new problems
// cost the square of a file's size. Cycle boundaries publish at once (see DiagnosticSets).
const PUBLISH_EVERY_MS = 20;
// A run of fewer lines than this did not pay for trying it (a few string comparisons and a
// hash); after this many in a row, the rest of a read goes line by line. Output whose order
// changes at every reprint (parallel jobs) then costs one try per read instead of one per line.
const SHORT_RUN_LINES = 4;
const SHORT_RUNS_IN_A_ROW = 4;

/**
 * Feeds one run's output lines (as printed) to its matcher engine without letting a flood
 * stall the parent: lines are matched at once while the current event-loop turn has spent
 * less than 8 ms matching, and queued for the next turns otherwise, in order. A queue of
 * 50,000 lines pauses the child's stdout and stderr until it is half done, so memory stays
 * bounded however fast the child prints. What the engine found is published within 20 ms.
 * A pipe read's lines may be offered whole first (`claim`), for the engine to recall a
 * reprinted stretch at once.
 */
export class MatcherFeed {
  readonly #engine: MatcherEngine;
  #streams: Readable[] = [];
  #queue: string[] = [];
  #head = 0;
  // This turn's matching so far: lines recalled, and time spent on the others. Kept as numbers
  // that are never undefined, so V8 updates them in place rather than boxing each new value.
  #turnOpen = false;
  #recalled = 0;
  #spentMs = 0;
  #drainQueued = false;
  #flushQueued = false;
  #paused = false;
  #retired = false;
  // The pipe read whose lines are coming through `push` (see claim): its text, where its next
  // line starts, and the end of its last whole line (0: no read, or its lines go one by one).
  #readText = '';
  #readPos = 0;
  #readEnd = 0;
  /** Lines of that read the engine took as a run: their pushes only count down. */
  #taken = 0;
  /** Runs in a row, in this read, too short to pay for trying (see SHORT_RUN_LINES). */
  #shortRuns = 0;

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
    this.#head = 0;
    this.#resume();
  }

  /**
   * A pipe read's whole lines (`text` up to `end`), given just before they come one by one
   * through `push`. Where they are lines printed before, in the same order, the engine takes
   * them as a run (MatcherEngine.recallRun): one string comparison for hundreds of lines, and
   * their pushes then only count down. A line that breaks the run (a new error, a cycle's
   * boundary) goes through `push` as usual, and the run is tried again after the next line
   * the engine recalls.
   */
  claim(text: string, end: number): void {
    this.#taken = 0;
    this.#shortRuns = 0;
    this.#readText = text;
    this.#readPos = 0;
    this.#readEnd = end;
    this.#takeRun();
  }

  push(line: string): void {
    if (this.#retired) return;
    if (this.#taken > 0) {
      this.#taken--;
      return;
    }
    if (!this.#turnOpen) this.#openTurn();
    const spent = this.#spentMs + this.#recalled * RECALLED_LINE_MS;
    if (this.#head < this.#queue.length || spent > TURN_BUDGET_MS) {
      this.#endRead();
      this.#queue.push(line);
      this.#scheduleDrain();
      if (this.#queue.length - this.#head >= HIGH_WATER_LINES) this.#pause();
      return;
    }
    const recalled = this.#engine.recall(line);
    if (recalled) this.#recalled++;
    else {
      const started = performance.now();
      this.#engine.match(line);
      this.#spentMs += performance.now() - started;
    }
    if (this.#readEnd === 0) return;
    this.#readPos = this.#readText.indexOf('\n', this.#readPos) + 1;
    if (this.#readPos === 0 || this.#readPos >= this.#readEnd) this.#endRead();
    else if (recalled) this.#takeRun();
  }

  /** Lets the engine take what it can of the current read from its next line on. */
  #takeRun(): void {
    if (!this.#turnOpen) this.#openTurn();
    const spent = this.#spentMs + this.#recalled * RECALLED_LINE_MS;
    // What waits in the queue comes first; past the budget, the read's lines are queued too.
    if (this.#retired || this.#head < this.#queue.length || spent > TURN_BUDGET_MS) {
      this.#endRead();
      return;
    }
    const started = performance.now();
    const run = this.#engine.recallRun(this.#readText, this.#readPos, this.#readEnd);
    this.#spentMs += performance.now() - started;
    this.#taken = run.lines;
    this.#readPos = run.end;
    this.#shortRuns = run.lines < SHORT_RUN_LINES ? this.#shortRuns + 1 : 0;
    if (run.end >= this.#readEnd || this.#shortRuns === SHORT_RUNS_IN_A_ROW) this.#endRead();
  }

  /** The rest of the current read goes line by line; its text is not kept. */
  #endRead(): void {
    this.#readText = '';
    this.#readPos = 0;
    this.#readEnd = 0;
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
    const started = performance.now();
    const queue = this.#queue;
    let i = this.#head;
    while (i < queue.length) {
      this.#engine.line(queue[i] as string);
      i++;
      if (i % CHECK_CLOCK_EVERY === 0 && performance.now() - started > budgetMs) break;
    }
    this.#head = i;
    this.#scheduleFlush();
    if (i >= queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else {
      if (i > 10_000) {
        this.#queue = queue.slice(i);
        this.#head = 0;
      }
      this.#scheduleDrain();
    }
    if (this.#queue.length - this.#head < HIGH_WATER_LINES / 2) this.#resume();
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
