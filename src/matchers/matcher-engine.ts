import { slowRegExpAdvice, type ExecGuard, type SwitchedOff } from '../options/guarded-exec.js';
import { cleanLine } from './clean-line.js';
import { DiagnosticSets, problemKey, type Publish } from './diagnostic-sets.js';
import { FileLocator } from './file-location.js';
import { LineMatchers } from './line-matchers.js';
import { LineMemo, type LineVerdict, type RecalledRun } from './line-memo.js';
import type { ResolvedMatcher } from './parse-matcher.js';
import { WatchCycles, type CycleEvent } from './watch-cycles.js';

/** Where a run's matchers send what they find. */
export interface EngineOutput {
  /** One file's whole set (merged over matchers); false when the child's caps refused it. */
  publish: Publish;
  cycle(event: CycleEvent): void;
  /** Every background matcher was switched off as too slow: no cycle can begin or end any more. */
  cyclesOff(): void;
  /** Something the user should know (a matcher switched off), for a `log` warning; the caller names the child. */
  warn(message: string): void;
}

/**
 * One run's problem matchers over its output: each cleaned line is first looked at as a
 * watch cycle's start or end, then by the line matchers; what they find is kept per owner and
 * file (DiagnosticSets) and published on `flush` and at every cycle boundary. Synchronous:
 * the caller decides when to flush (once per batch of lines).
 */
export class MatcherEngine {
  readonly #lines: LineMatchers;
  readonly #cycles: WatchCycles;
  readonly #sets: DiagnosticSets;
  readonly #matchers: readonly ResolvedMatcher[];
  readonly #locators: FileLocator[];
  readonly #memo: LineMemo | undefined;
  readonly #output: EngineOutput;
  readonly #switchedOff: SwitchedOff;

  /**
   * `switchedOff` is the child's (see SwitchedOff): a matcher an earlier run switched off stays
   * off, and one switched off now is added to it.
   */
  constructor(
    matchers: readonly ResolvedMatcher[],
    cwd: string,
    output: EngineOutput,
    switchedOff: SwitchedOff = new WeakSet(),
  ) {
    this.#matchers = matchers;
    this.#output = output;
    this.#switchedOff = switchedOff;
    const guards = matchers.map(
      (matcher): ExecGuard => ({
        off: switchedOff.has(matcher),
        timed: matcher.custom,
        slow: (ms, regexp) => {
          switchedOff.add(matcher);
          this.#memo?.clear();
          output.warn(
            `problem matcher ${matcher.name} (owner "${matcher.owner}") is switched off for this child: its regexp ` +
              `/${regexp.source}/ took ${Math.round(ms)} ms on one line ${slowRegExpAdvice()}`,
          );
          if (this.cyclesOff) output.cyclesOff();
        },
      }),
    );
    this.#locators = matchers.map((matcher) => new FileLocator(cwd, matcher.fileLocation));
    this.#sets = new DiagnosticSets(output.publish);
    this.#lines = new LineMatchers(matchers, guards);
    const parts = matchers.map((matcher, i) => ({
      matcher,
      guard: guards[i] as ExecGuard,
      locator: this.#locators[i] as FileLocator,
    }));
    this.#cycles = new WatchCycles(parts, this.#sets, output.cycle);
    // With one pattern each, what a line is does not depend on the lines before it.
    this.#memo = matchers.every((m) => m.patterns.length === 1) ? new LineMemo() : undefined;
  }

  /** True when some matcher has `background`, so the run has watch cycles. */
  get hasCycles(): boolean {
    return this.#cycles.any;
  }

  /** True while found problems wait for `flush`. */
  get pending(): boolean {
    return this.#sets.pending;
  }

  /** True when the run has watch cycles and every matcher that ends them is switched off. */
  get cyclesOff(): boolean {
    const background = this.#matchers.filter((matcher) => matcher.background !== undefined);
    return background.length > 0 && background.every((matcher) => this.#switchedOff.has(matcher));
  }

  /**
   * The run's process started: cycles of matchers with `activeOnStart` begin, and each matcher
   * an earlier run switched off says so again, so this run's log explains what it lacks.
   */
  start(): void {
    for (const matcher of this.#matchers) {
      if (!this.#switchedOff.has(matcher)) continue;
      this.#output.warn(
        `problem matcher ${matcher.name} (owner "${matcher.owner}") stays switched off: an earlier run of this ` +
          'child found its regexp too slow (see that warning). Fix the regexp and spawn the child anew.',
      );
    }
    this.#cycles.start();
  }

  /**
   * Takes one line of output as printed; matchers see it cleaned (see cleanLine). A line that
   * is already clean may be given too: cleaning it again changes nothing.
   */
  line(raw: string): void {
    if (!this.recall(raw)) this.match(raw);
  }

  /**
   * Takes a line if it was seen recently, for a fraction of what matching costs, and says so;
   * false means nothing was done and the line must go to `match`.
   */
  recall(raw: string): boolean {
    // A line seen recently is neither a cycle's boundary (those are never memoized) nor anything
    // but what it was then: it is not even cleaned again, and no regexp runs for it.
    // Added again in the same generation it would change nothing: a reprinted problem costs
    // one comparison.
    return this.#memo?.recall(raw, this.#sets.generation, this.#addKnown) !== undefined;
  }

  /**
   * Takes, as `recall` would one by one, the lines of `text` from `start` to `end` (each
   * ending in `\n`, as printed) for as long as they are a run of recent lines printed again
   * in the same order (see LineMemo.recallRun); says how many it took, and where the next line
   * starts. The rest must come through `recall` and `match`.
   */
  recallRun(text: string, start: number, end: number): RecalledRun {
    const memo = this.#memo;
    if (memo === undefined) return { lines: 0, end: start };
    return memo.recallRun(text, start, end, this.#sets.generation, this.#addKnown);
  }

  /** Takes a line that `recall` just refused: cleans it and runs the matchers over it. */
  match(raw: string): void {
    const line = cleanLine(raw);
    if (this.#cycles.any && this.#cycles.line(line)) return;
    const found = this.#lines.push(line);
    // Whether a begin or end line counts depends on the state (see WatchCycles), so it is
    // looked at every time.
    const memo = this.#memo !== undefined && !(this.#cycles.any && this.#cycles.mayBeBoundary(line));
    if (found === undefined) {
      if (memo) this.#memo?.set(raw, null);
      return;
    }
    const { owner } = this.#matchers[found.matcher] as ResolvedMatcher;
    const file = (this.#locators[found.matcher] as FileLocator).locate(found.file);
    const verdict = { owner, file, diagnostic: found.diagnostic, key: problemKey(found.diagnostic), added: -1 };
    this.#add(verdict);
    // After the add: the memo counts it as handed out in this generation.
    if (memo) this.#memo?.set(raw, verdict);
  }

  #add(verdict: LineVerdict): void {
    this.#sets.add(verdict.owner, verdict.file, verdict.diagnostic, verdict.key);
    verdict.added = this.#sets.generation;
  }

  /** A remembered problem the memo hands out again (it marks it added). */
  readonly #addKnown = (verdict: LineVerdict): void => {
    this.#sets.add(verdict.owner, verdict.file, verdict.diagnostic, verdict.key);
  };

  /** Publishes what changed since the last flush. */
  flush(): void {
    this.#sets.flush();
  }
}
