import type { EventEmitter } from 'node:events';
import type { Child } from '../child/child.js';
import type { RestartInfo } from '../child/state.js';
import type { Diagnostic, PortInfo } from '../protocol/index.js';
import { runtimeView } from './child-view.js';
import type { ChildView, CycleView, EventData, EventType, LogLine } from './types.js';

/** Where a watched child's events go. */
export interface ChildSink {
  emit<K extends EventType>(type: K, data: EventData[K]): void;
  /** An output or log line, to be kept in the child's ring and announced. */
  line(stream: LogLine['stream'], text: string, level?: string): void;
  /** One file's diagnostics changed, before the event is announced. */
  diagnostics(file: string, list: readonly Diagnostic[]): void;
  /** The last watch cycle changed (null: a new run has had none yet). */
  cycle(cycle: CycleView | null): void;
  /** The child's view now, after the change being announced. */
  view(): ChildView;
}

/**
 * Turns one child's events into the API's events; returns a function that stops. `cycle` and
 * `health` (issues 15 and 16) and `runtime` (issue 17) are followed by name, so they are
 * announced wherever this procwire's children emit them and cost nothing where they do not.
 */
export function watchChild(child: Child, sink: ChildSink): () => void {
  const id = child.id;
  const emitter = child as unknown as EventEmitter;
  const stops: (() => void)[] = [];
  const on = <A extends unknown[]>(event: string, typed: (...args: A) => void): void => {
    const listener = typed as (...args: unknown[]) => void;
    emitter.on(event, listener);
    stops.push(() => emitter.off(event, listener));
  };
  on('state', (state: { kind: string }, previous: { kind: string }) => {
    if (state.kind === 'starting' && previous.kind !== 'starting' && sink.view().cycle !== undefined) sink.cycle(null);
    sink.emit('state', { id, child: sink.view(), previous: previous.kind });
  });
  on('ready', () => sink.emit('ready', { id, child: sink.view() }));
  on('port', (port: PortInfo) => sink.emit('port', { id, port: { ...port }, child: sink.view() }));
  on('port-removed', (port: PortInfo) => sink.emit('port-removed', { id, port: { ...port }, child: sink.view() }));
  on('diagnostics', (file: string, diagnostics: readonly Diagnostic[]) => {
    sink.diagnostics(file, diagnostics);
    sink.emit('diagnostics', { id, file, diagnostics, child: sink.view() });
  });
  on('log', ({ level, message }: { level: string; message: string }) => sink.line('log', message, level));
  on('stdout', (line: string) => sink.line('stdout', line));
  on('stderr', (line: string) => sink.line('stderr', line));
  on('exit', ({ exitCode, signal }: { exitCode: number | null; signal: string | null }) =>
    sink.emit('exit', { id, code: exitCode, signal, child: sink.view() }),
  );
  on('restart', ({ restarts, delayMs, reason }: RestartInfo) =>
    sink.emit('restart', { id, restarts, delayMs, reason, child: sink.view() }),
  );
  on('gave-up', (error: { code: string; message: string }) =>
    sink.emit('gave-up', { id, code: error.code, message: error.message, child: sink.view() }),
  );
  on('cycle', (event: Record<string, unknown>) => {
    const cycle = cycleView(event);
    if (cycle === undefined) return;
    sink.cycle(cycle);
    sink.emit('cycle', { id, cycle, child: sink.view() });
  });
  on('health', () => {
    const health = (child as unknown as { health?: unknown }).health;
    if (typeof health === 'string') sink.emit('health', { id, health, child: sink.view() });
  });
  on('runtime', (runtime: unknown) => {
    const view = runtimeView(runtime);
    if (view) sink.emit('runtime', { id, runtime: view, child: sink.view() });
  });
  return () => {
    for (const stop of stops) stop();
  };
}

/** A `cycle` event's payload as JSON (`at` is now), or undefined when it is not cycle-shaped. */
export function cycleView(event: Record<string, unknown>): CycleView | undefined {
  const at = new Date().toISOString();
  if (event.phase === 'start') return { phase: 'start', at };
  if (event.phase !== 'end') return undefined;
  const n = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const view: CycleView = {
    phase: 'end',
    at,
    errors: n(event.errors),
    warnings: n(event.warnings),
    files: n(event.files),
    durationMs: n(event.durationMs),
  };
  return n(event.unlocated) > 0 ? { ...view, unlocated: n(event.unlocated) } : view;
}
