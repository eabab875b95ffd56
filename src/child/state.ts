import type { ProcwireError } from '../protocol/index.js';
import type { StopResult } from '../terminate/stop-result.js';

/**
 * Where a child is in its life. Each variant carries what is true in it, and the reason
 * for the transition into it.
 *
 * - `starting`: spawned (or spawning), not yet ready
 * - `running`: ready
 * - `stopping`: a stop is under way
 * - `stopped`: stopped by request
 * - `exited`: ended by itself and will not be restarted
 */
export type ChildState =
  | { kind: 'starting'; pid: number | undefined; reason: string }
  | { kind: 'running'; pid: number; reason: string }
  | { kind: 'stopping'; pid: number | undefined; reason: string }
  | { kind: 'stopped'; result: StopResult; reason: string }
  | { kind: 'exited'; exitCode: number | null; signal: string | null; error?: ProcwireError; reason: string };

/** The name of a state. */
export type ChildStateKind = ChildState['kind'];
