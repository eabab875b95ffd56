import type { Child } from '../child/child.js';
import type { ChildSpec } from '../child/spec.js';
import type { Duration } from '../options/duration.js';

/** Counters of a pool. */
export interface PoolStats {
  queued: number;
  running: number;
  done: number;
  failed: number;
  retried: number;
  recycled: number;
}

/** Limits of one task. */
export interface TaskOptions {
  /** Aborting cancels a queued task, or sends `$/cancelRequest` to the worker running it. */
  signal?: AbortSignal;
  /** Overrides the pool's taskTimeout for this task. */
  timeout?: Duration;
}

/** What a pool needs from its supervisor. */
export interface PoolHost {
  spawn(spec: ChildSpec): Promise<Child>;
  /** A handle to the child as soon as it exists (before it is ready). */
  onChild(id: string, listener: (child: Child) => void): void;
  forget(id: string): void;
}
