/** A position in a text document: 0-based line and UTF-16 character offset, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/** A span in a text document, end exclusive, as in LSP. */
export interface Range {
  start: Position;
  end: Position;
}

/** 1 = error, 2 = warning, 3 = information, 4 = hint (LSP's DiagnosticSeverity). */
export type DiagnosticSeverity = 1 | 2 | 3 | 4;

/** A compiler or linter finding in the shape of LSP's Diagnostic. */
export interface Diagnostic {
  range: Range;
  message: string;
  severity?: DiagnosticSeverity;
  code?: string | number;
  source?: string;
  [extra: string]: unknown;
}

/** A port a child bound, as it reported it with `procwire/port` or the parent found it listening. */
export interface PortInfo {
  name: string;
  port: number;
  host: string;
  protocol?: string;
  /** 'os' when the parent found it (`spec.ports: 'auto'`); absent or 'sdk' when the child reported it. */
  source?: 'sdk' | 'os';
}

/** Levels of `procwire/log`, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** A log line a child sent with `procwire/log`. */
export interface LogEntry {
  level: LogLevel;
  message: string;
}

/** Params of the child's first message, `procwire/hello`. */
export interface HelloParams {
  protocol: number;
  id: string;
  token: string;
  pid: number;
}

/** The parent's answer to a valid `procwire/hello`. */
export interface HelloResult {
  protocol: number;
  parentPid: number;
  /** 0 when the parent expects no heartbeat. */
  heartbeatMs: number;
  /** What the parent takes beyond the base protocol (see Features); absent from older parents. */
  features?: string[];
}

/** Params of `procwire/port`. */
export interface PortParams {
  name: string;
  port: number;
  host?: string;
  protocol?: string;
}

/** Params of `procwire/port-removed`: the port of that name closed. */
export interface PortRemovedParams {
  name: string;
}

/** Params of `procwire/diagnostics`: replaces the set for `file`; `[]` clears it. */
export interface DiagnosticsParams {
  file: string;
  diagnostics: Diagnostic[];
}
