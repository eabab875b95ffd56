import type { ChildView, DiagnosticsFile, EventData, LogLine, Snapshot } from '../control/types.js';

/** A diagnostic as the API sends it. */
export type Diagnostic = DiagnosticsFile['diagnostics'][number];

/** Where the page's event stream is; `refused`: the page has no token, or not this dashboard's. */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'refused';

/** Lines kept per child in the page; older ones are dropped. */
export const MAX_LINES = 2000;

/**
 * What the page knows, built from the event stream. Events are queued as they arrive and
 * applied together once per animation frame, then the view is told once: at 50 children
 * printing 100 lines a second the page renders 60 times a second, not 5,000.
 */
export class Store {
  readonly children = new Map<string, ChildView>();
  /** By child, then file. */
  readonly diagnostics = new Map<string, Map<string, readonly Diagnostic[]>>();
  readonly logs = new Map<string, LogLine[]>();
  /** Children whose older lines were fetched (`GET /api/children/:id/logs`). */
  readonly history = new Set<string>();
  connection: Connection = 'connecting';
  /** Bumped once per applied batch. */
  version = 0;
  /** When the last batch was applied (performance.now()). */
  appliedAt = 0;
  readonly #pending: { type: string; data: unknown }[] = [];
  readonly #listeners = new Set<() => void>();
  #frame = 0;

  /** Calls `listener` after each applied batch; returns a function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Queues one event of the stream; it is applied with the others at the next frame. */
  receive(type: string, data: unknown): void {
    this.#pending.push({ type, data });
    this.#schedule();
  }

  setConnection(connection: Connection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.#schedule();
  }

  /** Older lines of a child, fetched once: put before the ones the stream brought. */
  addHistory(id: string, lines: readonly LogLine[]): void {
    const current = this.logs.get(id) ?? [];
    const first = current[0]?.seq ?? Number.POSITIVE_INFINITY;
    this.logs.set(id, [...lines.filter((line) => line.seq < first), ...current].slice(-MAX_LINES));
    this.history.add(id);
    this.#schedule();
  }

  #schedule(): void {
    this.#frame ||= requestAnimationFrame(() => this.#flush());
  }

  #flush(): void {
    this.#frame = 0;
    for (const { type, data } of this.#pending.splice(0)) this.#apply(type, data);
    this.version++;
    this.appliedAt = performance.now();
    for (const listener of this.#listeners) listener();
  }

  #apply(type: string, data: unknown): void {
    if (type === 'snapshot') {
      this.#reset(data as Snapshot);
      return;
    }
    if (type === 'output') {
      const { id, line } = data as EventData['output'];
      const lines = this.logs.get(id) ?? [];
      lines.push(line);
      // Trimmed in steps, so that a busy child does not cost a copy per line.
      this.logs.set(id, lines.length > MAX_LINES * 1.25 ? lines.slice(-MAX_LINES) : lines);
      return;
    }
    const event = data as { id?: string; child?: ChildView };
    if (event.child) this.children.set(event.child.id, event.child);
    if (type === 'diagnostics') {
      const { id, file, diagnostics } = data as EventData['diagnostics'];
      const files = this.diagnostics.get(id) ?? new Map<string, readonly Diagnostic[]>();
      if (diagnostics.length === 0) files.delete(file);
      else files.set(file, diagnostics);
      this.diagnostics.set(id, files);
    }
  }

  #reset(snapshot: Snapshot): void {
    this.children.clear();
    for (const child of snapshot.children) this.children.set(child.id, child);
    this.diagnostics.clear();
    for (const { child, file, diagnostics } of snapshot.diagnostics.files) {
      const files = this.diagnostics.get(child) ?? new Map<string, readonly Diagnostic[]>();
      files.set(file, diagnostics);
      this.diagnostics.set(child, files);
    }
    // Lines may have been missed while the stream was away: fetch them again when shown.
    this.history.clear();
  }
}
