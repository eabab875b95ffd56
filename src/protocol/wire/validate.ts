import { ProcwireError } from './errors.js';
import type {
  Diagnostic,
  DiagnosticsParams,
  HelloParams,
  LogEntry,
  LogLevel,
  PortParams,
  PortRemovedParams,
} from './types.js';

// Peers may be written in any language, so every reserved method's params are checked at
// the boundary; a wrong type is a protocol error, never a crash further in.

type Json = Record<string, unknown>;

function fail(method: string, what: string): never {
  throw new ProcwireError('PROTOCOL_ERROR', `${method}: ${what}`);
}

function asObject(method: string, params: unknown): Json {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) fail(method, 'params must be an object');
  return params as Json;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isPosition(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as Json;
  return Number.isInteger(line) && (line as number) >= 0 && Number.isInteger(character) && (character as number) >= 0;
}

/** Checks `procwire/hello` params; throws PROTOCOL_ERROR. */
export function parseHelloParams(params: unknown): HelloParams {
  const p = asObject('procwire/hello', params);
  if (typeof p.protocol !== 'number') fail('procwire/hello', 'protocol must be a number');
  if (!isNonEmptyString(p.id)) fail('procwire/hello', 'id must be a non-empty string');
  if (!isNonEmptyString(p.token)) fail('procwire/hello', 'token must be a non-empty string');
  if (!Number.isInteger(p.pid)) fail('procwire/hello', 'pid must be an integer');
  return { protocol: p.protocol, id: p.id, token: p.token, pid: p.pid as number };
}

/** Checks `procwire/port` params; throws PROTOCOL_ERROR. */
export function parsePortParams(params: unknown): PortParams {
  const p = asObject('procwire/port', params);
  if (!isNonEmptyString(p.name)) fail('procwire/port', 'name must be a non-empty string');
  if (!Number.isInteger(p.port) || (p.port as number) < 0 || (p.port as number) > 65535) {
    fail('procwire/port', `port must be an integer 0-65535, got ${JSON.stringify(p.port)}`);
  }
  if (p.host !== undefined && typeof p.host !== 'string') fail('procwire/port', 'host must be a string');
  if (p.protocol !== undefined && typeof p.protocol !== 'string') fail('procwire/port', 'protocol must be a string');
  const result: PortParams = { name: p.name, port: p.port as number };
  if (p.host !== undefined) result.host = p.host;
  if (p.protocol !== undefined) result.protocol = p.protocol;
  return result;
}

/** Checks `procwire/port-removed` params; throws PROTOCOL_ERROR. */
export function parsePortRemovedParams(params: unknown): PortRemovedParams {
  const p = asObject('procwire/port-removed', params);
  if (!isNonEmptyString(p.name)) fail('procwire/port-removed', 'name must be a non-empty string');
  return { name: p.name };
}

/** Checks one LSP Diagnostic; returns why it is invalid, or undefined. */
export function diagnosticProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a diagnostic must be an object';
  const d = value as Json;
  const range = d.range as Json | undefined;
  if (typeof range !== 'object' || range === null || !isPosition(range.start) || !isPosition(range.end)) {
    return 'range must be { start: { line, character }, end: { line, character } } with 0-based integers';
  }
  if (typeof d.message !== 'string') return 'message must be a string';
  if (d.severity !== undefined && d.severity !== 1 && d.severity !== 2 && d.severity !== 3 && d.severity !== 4) {
    return `severity must be 1-4, got ${JSON.stringify(d.severity)}`;
  }
  return undefined;
}

/** Checks `procwire/diagnostics` params; throws PROTOCOL_ERROR. */
export function parseDiagnosticsParams(params: unknown): DiagnosticsParams {
  const p = asObject('procwire/diagnostics', params);
  if (!isNonEmptyString(p.file)) fail('procwire/diagnostics', 'file must be a non-empty string');
  if (!Array.isArray(p.diagnostics)) fail('procwire/diagnostics', 'diagnostics must be an array');
  for (const [index, diagnostic] of p.diagnostics.entries()) {
    const problem = diagnosticProblem(diagnostic);
    if (problem !== undefined) fail('procwire/diagnostics', `diagnostics[${index}]: ${problem}`);
  }
  return { file: p.file, diagnostics: p.diagnostics as Diagnostic[] };
}

const LOG_LEVELS: ReadonlySet<string> = new Set<LogLevel>(['error', 'warn', 'info', 'debug']);

/** Checks `procwire/log` params; throws PROTOCOL_ERROR. */
export function parseLogParams(params: unknown): LogEntry {
  const p = asObject('procwire/log', params);
  if (typeof p.level !== 'string' || !LOG_LEVELS.has(p.level)) {
    fail('procwire/log', `level must be one of error, warn, info, debug; got ${JSON.stringify(p.level)}`);
  }
  if (typeof p.message !== 'string') fail('procwire/log', 'message must be a string');
  return { level: p.level as LogLevel, message: p.message };
}
