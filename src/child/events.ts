import type { CycleEvent } from '../matchers/index.js';
import type { Diagnostic, LogEntry, PortInfo, ProcwireError } from '../protocol/index.js';
import type { ExitInfo } from '../terminate/stop-result.js';
import type { ResolvedRuntime } from '../toolchain/index.js';
import type { ChildState, RestartInfo } from './state.js';

/** What the health checks of the current run say (`spec.health`); 'unknown' before the first and without any. */
export type ChildHealth = 'unknown' | 'healthy' | 'unhealthy';

/** Events of a Child, with their arguments. */
export interface ChildEvents {
  state: [state: ChildState, previous: ChildState];
  ready: [];
  /** Before each spawn of a child with `spec.runtime`: the runtime it will run on, and why. */
  runtime: [runtime: ResolvedRuntime];
  port: [port: PortInfo];
  /** A port went away with the process that bound it. */
  'port-removed': [port: PortInfo];
  /** One file's diagnostics changed; an empty list means the file has none now. */
  diagnostics: [file: string, diagnostics: readonly Diagnostic[]];
  /** A watch cycle of a `background` matcher started or ended (see CycleEvent). */
  cycle: [event: CycleEvent];
  /** The health of the current run changed; `detail` is what the last check saw. */
  health: [health: ChildHealth, detail: string];
  log: [entry: LogEntry];
  stdout: [line: string];
  stderr: [line: string];
  exit: [exit: ExitInfo];
  /** The child ended by itself and its policy starts it again after a delay. */
  restart: [info: RestartInfo];
  /** The restart limit was reached; the child is `failed`. */
  'gave-up': [error: ProcwireError];
  /**
   * The child broke the protocol (a garbage or oversize frame, wrong params on a reserved
   * method) and its connection was closed. Not named 'error' so that an unheard event
   * cannot crash the parent.
   */
  'protocol-error': [error: ProcwireError];
}

/** Announces one of a child's events (the Child's own `emit`). */
export type EmitChildEvent = <K extends keyof ChildEvents>(event: K, ...args: ChildEvents[K]) => void;
