import { randomBytes } from 'node:crypto';
import type { Child } from '../child/child.js';
import type { Supervisor } from '../supervisor.js';
import { childView, pendingView } from './child-view.js';
import { ProblemCounts } from './problem-counts.js';
import { Ring } from './ring.js';
import type { ChildView, CycleView, EventData, EventType, LogLine } from './types.js';
import { cycleView, watchChild } from './watch-child.js';

/** One announced event, serialised once for every stream. */
export interface HubEvent {
  seq: number;
  type: EventType;
  /** The child it is about. */
  child: string;
  /** The whole SSE message: `id:`, `event:`, `data:` lines and the blank line. */
  frame: string;
}

/** Bounds of what a hub keeps. */
export interface HubLimits {
  /** Events kept for `Last-Event-ID` resume. Default 10,000. */
  backlog: number;
  /** Recent output and log lines kept per child. Default 1,000. */
  linesPerChild: number;
}

/**
 * Everything a control API tells about one Supervisor's children: their views, each child's
 * recent lines in a ring, the last watch cycle, and every event numbered in one sequence,
 * with a bounded backlog for streams that resume. Follows children the supervisor creates
 * from now on and those it already has; keeps a child whose start failed (the supervisor
 * forgets it) so that it is still shown.
 */
export class EventHub {
  /** Changes with every hub, so an event id from another run is never taken for one of this. */
  readonly epoch = randomBytes(4).toString('hex');
  readonly limits: HubLimits;
  readonly #sup: Supervisor;
  readonly #configured: readonly string[];
  readonly #children = new Map<string, Watched>();
  readonly #backlog: Ring<HubEvent>;
  readonly #listeners = new Set<(event: HubEvent) => void>();
  readonly #onChild = (child: Child): void => this.#watch(child, true);
  #seq = 0;

  constructor(sup: Supervisor, configured: readonly string[] = [], limits: Partial<HubLimits> = {}) {
    this.#sup = sup;
    this.#configured = configured;
    this.limits = { backlog: limits.backlog ?? 10_000, linesPerChild: limits.linesPerChild ?? 1000 };
    this.#backlog = new Ring(this.limits.backlog);
    for (const child of sup.children.values()) this.#watch(child, false);
    sup.on('child', this.#onChild);
  }

  /** The id of the last event announced (0 before any). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Ids in order: configured ones first (in config order), then any others the supervisor made. */
  ids(): string[] {
    return [...new Set([...this.#configured, ...this.#children.keys()])];
  }

  /** True for an id the hub can show (configured, or a child it has seen). */
  has(id: string): boolean {
    return this.#children.has(id) || this.#configured.includes(id);
  }

  /** The handle of a child the hub has seen, if any. */
  child(id: string): Child | undefined {
    return this.#children.get(id)?.child;
  }

  /** The view of one child now; undefined for an id the hub cannot show. */
  view(id: string): ChildView | undefined {
    const watched = this.#children.get(id);
    if (watched) return childView(watched.child, watched);
    return this.#configured.includes(id) ? pendingView(id) : undefined;
  }

  /** Every child's view, in the order of `ids()`. */
  views(): ChildView[] {
    return this.ids().map((id) => this.view(id) as ChildView);
  }

  /** The last `count` lines of a child, oldest first. */
  lines(id: string, count: number): LogLine[] {
    return this.#children.get(id)?.lines.last(count) ?? [];
  }

  /** Events after `seq` still in the backlog, or undefined when some after it were dropped. */
  since(seq: number): HubEvent[] | undefined {
    const oldest = this.#backlog.first();
    if (seq > this.#seq) return undefined;
    if (oldest !== undefined && oldest.seq > seq + 1) return undefined;
    return this.#backlog.since((event) => event.seq > seq);
  }

  /** Calls `listener` with every event from now on; returns a function that stops it. */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops following the supervisor and its children. */
  close(): void {
    this.#sup.off('child', this.#onChild);
    for (const watched of this.#children.values()) watched.unwatch();
    this.#listeners.clear();
  }

  #watch(child: Child, announce: boolean): void {
    const previous = this.#children.get(child.id);
    previous?.unwatch();
    const watched: Watched = {
      child,
      counts: ProblemCounts.of(child.diagnostics),
      // A handler made after the child's first cycle (an embedder's createControlHandler) starts
      // from the cycle it ended; one that has none yet says null.
      cycle: hasCycles(child)
        ? child.lastCycle === undefined
          ? null
          : (cycleView(child.lastCycle) ?? null)
        : undefined,
      // A pool worker replaced under the same id keeps its predecessor's lines.
      lines: previous?.lines ?? new Ring(this.limits.linesPerChild),
      unwatch: () => undefined,
    };
    this.#children.set(child.id, watched);
    const view = (): ChildView => childView(child, watched);
    watched.unwatch = watchChild(child, {
      emit: (type, data) => this.#announce(type, child.id, data),
      line: (stream, text, level) => {
        const line: LogLine = { seq: this.#seq + 1, at: new Date().toISOString(), stream, text };
        if (level !== undefined) line.level = level;
        watched.lines.push(line);
        this.#announce('output', child.id, { id: child.id, line });
      },
      diagnostics: (file, list) => watched.counts.set(file, list),
      cycle: (cycle) => {
        watched.cycle = cycle;
      },
      view,
    });
    if (announce) this.#announce('child', child.id, { id: child.id, child: view() });
  }

  #announce<K extends EventType>(type: K, child: string, data: EventData[K]): void {
    const seq = ++this.#seq;
    const frame = `id: ${this.epoch}:${seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    const event: HubEvent = { seq, type, child, frame };
    this.#backlog.push(event);
    for (const listener of this.#listeners) listener(event);
  }
}

/** What the hub keeps about one child beyond its handle. */
interface Watched {
  child: Child;
  counts: ProblemCounts;
  cycle: CycleView | null | undefined;
  lines: Ring<LogLine>;
  unwatch: () => void;
}

/** Whether the child has watch cycles: a matcher with `background` (a one-shot tool's have none). */
function hasCycles(child: Child): boolean {
  return child.spec.matchers.some((matcher) => matcher.background !== undefined);
}
