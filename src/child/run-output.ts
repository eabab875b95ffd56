import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isProcwireError } from '../protocol/index.js';
import { cleanLine, MatcherEngine, type CycleEvent } from '../matchers/index.js';
import type { SwitchedOff } from '../options/guarded-exec.js';
import type { OutputStream, ReadySignals } from '../probe/index.js';
import type { EmitChildEvent } from './events.js';
import { MatcherFeed } from './matcher-feed.js';
import type { Reports } from './reports.js';
import type { OutputSinks } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';

/**
 * What one run's output offers readiness: its lines, its watch cycles' ends, its `log` warnings,
 * and the regexps the child's runs switched off.
 */
export type OutputSignals = Pick<ReadySignals, 'onLine' | 'onCycleEnd' | 'onCyclesOff' | 'warn' | 'switchedOff'>;

/**
 * Where one run's stdout and stderr lines go: the child's `stdout`/`stderr` events as they
 * were printed, then, cleaned (see cleanLine), whoever waits for a line; after a pipe read's
 * lines had their events, the whole read goes to the run's problem matchers (through a
 * MatcherFeed, which keeps a flood from stalling the parent; the engine cleans the lines it
 * does not recall). What the matchers find goes into the child's
 * Reports within 20 ms and at each watch cycle's boundary, before its `cycle` event. A run
 * that is `retire`d (a new run started) no longer reports.
 */
export class RunOutput {
  readonly sinks: OutputSinks;
  readonly signals: OutputSignals;
  readonly #engine: MatcherEngine | undefined;
  readonly #feed: MatcherFeed | undefined;
  readonly #lineListeners = new Set<(line: string, stream: OutputStream) => void>();
  readonly #cycleListeners = new Set<() => void>();
  readonly #cyclesOffListeners = new Set<() => void>();
  #retired = false;
  #warnedOverCap = false;

  /** `switchedOff` is the child's, kept over its runs (see SwitchedOff). */
  constructor(spec: ResolvedSpec, reports: Reports, emit: EmitChildEvent, switchedOff: SwitchedOff) {
    const warn = (message: string): void => emit('log', { level: 'warn', message: `procwire: ${message}` });
    this.#engine =
      spec.matchers.length === 0
        ? undefined
        : new MatcherEngine(
            spec.matchers,
            resolve(spec.cwd ?? '.'),
            {
              publish: (file, diagnostics) => {
                if (this.#retired) return true;
                try {
                  reports.setDiagnostics(file, diagnostics);
                  return true;
                } catch (error) {
                  if (!isProcwireError(error)) throw error;
                  if (!this.#warnedOverCap) warn(`matched diagnostics dropped: ${error.message}`);
                  this.#warnedOverCap = true;
                  return false;
                }
              },
              cycle: (event) => this.#cycle(event, emit),
              cyclesOff: () => {
                for (const listener of [...this.#cyclesOffListeners]) listener();
              },
              warn: (message) => warn(`child "${spec.id}": ${message}`),
            },
            switchedOff,
          );
    this.#feed = this.#engine === undefined ? undefined : new MatcherFeed(this.#engine);
    const feed = this.#feed;
    this.sinks = {
      stdout: (line) => this.#line(line, 'stdout', emit),
      stderr: (line) => this.#line(line, 'stderr', emit),
      ...(feed === undefined ? {} : { read: (text: string, end: number) => feed.read(text, end) }),
    };
    this.signals = {
      onLine: (listener) => {
        this.#lineListeners.add(listener);
        return () => this.#lineListeners.delete(listener);
      },
      onCycleEnd: (listener) => {
        this.#cycleListeners.add(listener);
        return () => this.#cycleListeners.delete(listener);
      },
      onCyclesOff: (listener) => {
        this.#cyclesOffListeners.add(listener);
        // Off before this run began (an earlier run switched them off): told once the wait is set up.
        if (this.#engine?.cyclesOff) queueMicrotask(() => this.#cyclesOffListeners.has(listener) && listener());
        return () => this.#cyclesOffListeners.delete(listener);
      },
      warn: (message) => warn(`child "${spec.id}": ${message}`),
      switchedOff,
    };
  }

  /** The process spawned: cycles of `activeOnStart` matchers begin; its pipes can be paused. */
  started(process: ChildProcess): void {
    this.#feed?.attach([process.stdout, process.stderr].filter((s): s is Readable => s !== null));
    this.#engine?.start();
  }

  /** The process exited: what it printed so far is matched and published now (MatcherFeed.settle). */
  settle(): void {
    if (!this.#retired) this.#feed?.settle();
  }

  /** A newer run took over: nothing of this one is reported any more. */
  retire(): void {
    this.#retired = true;
    this.#feed?.retire();
  }

  #line(line: string, stream: OutputStream, emit: EmitChildEvent): void {
    emit(stream, line);
    if (this.#lineListeners.size === 0) return;
    const cleaned = cleanLine(line);
    for (const listener of this.#lineListeners) listener(cleaned, stream);
  }

  #cycle(event: CycleEvent, emit: EmitChildEvent): void {
    if (this.#retired) return;
    emit('cycle', event);
    if (event.phase === 'end') for (const listener of this.#cycleListeners) listener();
  }
}
