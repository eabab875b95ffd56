import type { ProcwireError } from '../protocol/index.js';
import type { ExitInfo, StopResult } from '../terminate/stop-result.js';
import type { ResolvedRuntime } from '../toolchain/index.js';

/**
 * Where a child is in its life. Each variant carries what is true in it, and the reason
 * for the transition into it.
 *
 * - `starting`: not yet ready: waiting for a start slot (`pid` undefined), spawning, or spawned
 * - `running`: ready; `runtime` says what the child runs on when its spec pins one
 * - `backoff`: ended by itself; waiting `delayMs` before its policy restarts it
 * - `stopping`: a stop is under way
 * - `stopped`: stopped by request
 * - `exited`: ended by itself and its policy does not restart it
 * - `failed`: gave up: the restart limit was reached (or the command cannot run at all)
 */
export type ChildState =
  | { kind: 'starting'; pid: number | undefined; reason: string }
  | { kind: 'running'; pid: number; reason: string; runtime?: ResolvedRuntime }
  | { kind: 'backoff'; delayMs: number; until: Date; lastExit: ExitInfo | undefined; reason: string }
  | { kind: 'stopping'; pid: number | undefined; reason: string }
  | { kind: 'stopped'; result: StopResult; reason: string }
  | { kind: 'exited'; exitCode: number | null; signal: string | null; error?: ProcwireError; reason: string }
  | { kind: 'failed'; exitCode: number | null; signal: string | null; error: ProcwireError; reason: string };

/** The name of a state. */
export type ChildStateKind = ChildState['kind'];

/** What the `restart` event says about a restart that is about to happen. */
export interface RestartInfo {
  /** Automatic restarts of this child so far, this one included. */
  restarts: number;
  delayMs: number;
  reason: string;
}
