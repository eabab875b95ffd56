import type { Child } from '../child/child.js';
import type { ChildView, CycleView, RuntimeView } from './types.js';

// Facts that capabilities of other issues add to a Child (health: issue 16, runtime: issue 17).
// Read only when the handle has them, so this API works on a procwire with or without them.
interface OptionalFacts {
  health?: unknown;
  runtime?: unknown;
}

/** The runtime a child runs on, as JSON; undefined when the value is not runtime-shaped. */
export function runtimeView(value: unknown): RuntimeView | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.name !== 'string' || typeof r.version !== 'string') return undefined;
  const view: RuntimeView = { name: r.name, version: r.version, path: String(r.path ?? ''), source: String(r.source) };
  if (typeof r.pin === 'string') view.pin = r.pin;
  if (Array.isArray(r.listed) && r.listed.every((v) => typeof v === 'string')) view.listed = [...r.listed];
  if (typeof r.manager === 'string') view.manager = r.manager;
  return view;
}

/** What the caller keeps about a child beyond its handle. */
export interface ChildExtras {
  /** Its error and warning counts. */
  counts: { errors: number; warnings: number };
  /** The last watch cycle seen: undefined when the child has no matchers, null for none yet. */
  cycle: CycleView | null | undefined;
}

/** One child as JSON, read from its handle now. */
export function childView(child: Child, { counts, cycle }: ChildExtras): ChildView {
  const state = child.state;
  const { warnings } = counts;
  // Errors the compiler counted in its last cycle that name no file are in no diagnostic list.
  const errors = counts.errors + (child.lastCycle?.unlocated ?? 0);
  const running = state.kind === 'running';
  const startedAt = child.startedAt;
  const view: ChildView = {
    id: child.id,
    state: state.kind,
    reason: state.reason,
    pid: child.pid ?? null,
    restarts: child.restarts,
    startedAt: startedAt?.toISOString() ?? null,
    uptimeMs: running && startedAt ? Math.max(0, Date.now() - startedAt.getTime()) : null,
    connected: child.connected,
    ports: [...child.ports.values()].map((port) => ({ ...port })),
    errors,
    warnings,
  };
  if (state.kind === 'exited' || state.kind === 'failed') {
    view.exit = { code: state.exitCode, signal: state.signal };
    if (state.error) {
      const { code, message, stderrTail } = state.error;
      view.error = { code, message, ...(stderrTail?.length ? { stderrTail: [...stderrTail] } : {}) };
    }
  } else if (state.kind === 'stopped') {
    view.exit = { code: state.result.exitCode, signal: state.result.signal };
  }
  const facts = child as unknown as OptionalFacts;
  // Only for a child whose spec has health checks.
  const checked = (child.spec as { health?: unknown }).health !== undefined;
  if (checked && typeof facts.health === 'string') view.health = facts.health;
  // Only for a child whose spec pins one: null until it is resolved.
  const pinned = (child.spec as { runtime?: unknown }).runtime !== undefined;
  if (pinned || facts.runtime !== undefined) view.runtime = runtimeView(facts.runtime) ?? null;
  if (cycle !== undefined) view.cycle = cycle;
  return view;
}

/** A configured child that has not been spawned yet. */
export function pendingView(id: string): ChildView {
  return {
    id,
    state: 'pending',
    reason: 'not started yet',
    pid: null,
    restarts: 0,
    startedAt: null,
    uptimeMs: null,
    connected: false,
    ports: [],
    errors: 0,
    warnings: 0,
  };
}
