// The JSON the control API speaks, shared with the dashboard (src/ui/) through `import type`.
// Only plain data: no class, nothing of Node, so the page's bundle can use these types too.
import type { Diagnostic, PortInfo } from '../protocol/wire/types.js';

/** A watch cycle as the API shows it (the last one a child's matcher saw). */
export type CycleView =
  | { phase: 'start'; at: string }
  | {
      phase: 'end';
      at: string;
      errors: number;
      warnings: number;
      files: number;
      durationMs: number;
      /** Of `errors`, those the tool counted that name no file (see CycleEvent); only when more than 0. */
      unlocated?: number;
    };

/** A pinned runtime as the API shows it. */
export interface RuntimeView {
  name: string;
  version: string;
  path: string;
  /** The pin file's path, `spec` or `PATH`. */
  source: string;
  pin?: string;
  /** Every version a `.tool-versions` line listed, when it listed several; `pin` is the one taken. */
  listed?: string[];
  manager?: string;
}

/**
 * One child as `GET /api/children` shows it. `state` is the ChildState's kind, or `pending` for
 * a configured child not spawned yet. `health`, `runtime` and `cycle` are present only when
 * this procwire and the child's spec have them.
 */
export interface ChildView {
  id: string;
  state: string;
  reason: string;
  pid: number | null;
  restarts: number;
  /** ISO time the current (or last) process was spawned. */
  startedAt: string | null;
  /** Milliseconds since the spawn, while running. */
  uptimeMs: number | null;
  connected: boolean;
  ports: PortInfo[];
  errors: number;
  warnings: number;
  /** How it ended, for `exited`, `failed` and `stopped`. */
  exit?: { code: number | null; signal: string | null };
  /**
   * Why it failed, for `failed` (and `exited` with an error); `stderrTail`, when the message
   * quotes the child's last stderr lines (a start that ended before ready), holds them as written.
   */
  error?: { code: string; message: string; stderrTail?: string[] };
  health?: string;
  runtime?: RuntimeView | null;
  cycle?: CycleView | null;
}

/** One line of a child's output or log, as the ring keeps it. */
export interface LogLine {
  /** The event id it was announced with; increases across all children of a run. */
  seq: number;
  /** ISO time it arrived. */
  at: string;
  stream: 'stdout' | 'stderr' | 'log';
  /** For `log` lines: the child's level. */
  level?: string;
  text: string;
}

/** One file's diagnostics of one child. */
export interface DiagnosticsFile {
  child: string;
  file: string;
  diagnostics: readonly Diagnostic[];
}

/** What `GET /api/diagnostics` answers. */
export interface DiagnosticsView {
  files: DiagnosticsFile[];
  errors: number;
  warnings: number;
}

/** The state of everything, sent first on an events stream (and again when a resume is too old). */
export interface Snapshot {
  children: ChildView[];
  diagnostics: DiagnosticsView;
}

/** What the `data:` of each event on `GET /api/events` holds, by its `event:` name. */
export interface EventData {
  snapshot: Snapshot;
  /** A child handle was created (spawned, or a pool worker replaced). */
  child: { id: string; child: ChildView };
  state: { id: string; child: ChildView; previous: string };
  ready: { id: string; child: ChildView };
  port: { id: string; port: PortInfo; child: ChildView };
  'port-removed': { id: string; port: PortInfo; child: ChildView };
  diagnostics: { id: string; file: string; diagnostics: readonly Diagnostic[]; child: ChildView };
  cycle: { id: string; cycle: CycleView; child: ChildView };
  health: { id: string; health: string; child: ChildView };
  runtime: { id: string; runtime: RuntimeView; child: ChildView };
  /** stdout, stderr and `procwire/log` lines. */
  output: { id: string; line: LogLine };
  exit: { id: string; code: number | null; signal: string | null; child: ChildView };
  restart: { id: string; restarts: number; delayMs: number; reason: string; child: ChildView };
  'gave-up': { id: string; code: string; message: string; child: ChildView };
}

/** The name of an event on the stream. */
export type EventType = keyof EventData;

/** Every event type the stream carries, in one list for the server's filter and the page's listeners. */
export const EVENT_TYPES: readonly EventType[] = [
  'snapshot',
  'child',
  'state',
  'ready',
  'port',
  'port-removed',
  'diagnostics',
  'cycle',
  'health',
  'runtime',
  'output',
  'exit',
  'restart',
  'gave-up',
];

/**
 * The body of every error answer. `code` is a ProcwireError code, or one of the API's own;
 * `stderrTail`, when the message quotes a failed start's last stderr lines, has them as written.
 */
export interface ErrorBody {
  error: { code: string; message: string; stderrTail?: string[] };
}

/** What `GET /api/run` answers: which run this is. */
export interface RunInfo {
  pid: number;
  startedAt: string;
  /** The config file's real path, when the run has one. */
  config: string | null;
  /** Event streams open now (the dashboard's, procwire logs -f, procwire wait). */
  streams: number;
}
