import { detach } from './line-memo.js';
import type { Diagnostic, DiagnosticSeverity } from '../protocol/index.js';
import type { CompiledPattern } from './parse-pattern.js';

/** What the groups of one or more matched lines said, as strings (VS Code's ProblemData). */
export interface ProblemData {
  kind?: 'location' | 'file';
  file?: string;
  location?: string;
  line?: string;
  character?: string;
  endLine?: string;
  endCharacter?: string;
  message?: string;
  severity?: string;
  code?: string;
}

type Group = 'file' | 'location' | 'line' | 'character' | 'endLine' | 'endCharacter' | 'severity' | 'code';

/**
 * Fills what `data` does not have yet from one pattern's match, as VS Code's fillProblemData:
 * file, code, severity and location are trimmed; the message is trimmed and, when an earlier
 * line already gave one, appended on a new line.
 */
export function fillProblemData(data: ProblemData, pattern: CompiledPattern, match: RegExpExecArray): void {
  fill(data, 'file', pattern.file, match, true);
  if (data.message === undefined) {
    const at = pattern.message;
    const value = at === undefined ? undefined : match[at];
    if (value !== undefined) data.message = value.trim();
  } else if (pattern.message !== undefined && pattern.message < match.length) {
    data.message += `\n${(match[pattern.message] ?? '').trim()}`;
  }
  fill(data, 'code', pattern.code, match, true);
  fill(data, 'severity', pattern.severity, match, true);
  fill(data, 'location', pattern.location, match, true);
  fill(data, 'line', pattern.line, match, false);
  fill(data, 'character', pattern.character, match, false);
  fill(data, 'endLine', pattern.endLine, match, false);
  fill(data, 'endCharacter', pattern.endCharacter, match, false);
}

function fill(data: ProblemData, key: Group, at: number | undefined, match: RegExpExecArray, trim: boolean): void {
  if (data[key] !== undefined || at === undefined) return;
  const value = match[at];
  if (value !== undefined) data[key] = trim ? value.trim() : value;
}

// VS Code's end column for a problem without one: the whole line (1-based, so 0-based it is one less).
const WHOLE_LINE_END = 2 ** 31 - 1;

/**
 * The LSP diagnostic (0-based positions) for what the lines said, or undefined when they did
 * not give a file, a location and a message. Positions follow VS Code's createLocation, then
 * lose one to become 0-based: no column means the whole line; a column without an end is an
 * empty range there; kind 'file' is the file's start. `fallback` is the matcher's severity.
 */
export function toDiagnostic(data: ProblemData, fallback: DiagnosticSeverity, source: string): Diagnostic | undefined {
  if (!data.file || !data.message) return undefined;
  const range = data.kind === 'file' ? fileStart() : data.location ? parseLocation(data.location) : fromLines(data);
  if (range === undefined) return undefined;
  // Captures are slices of the line, and so of its pipe chunk: the store keeps copies.
  const diagnostic: Diagnostic = {
    range,
    severity: severityOf(data.severity) ?? fallback,
    message: detach(data.message),
    source,
  };
  if (data.code !== undefined) diagnostic.code = detach(data.code);
  return diagnostic;
}

function fileStart(): Diagnostic['range'] {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function parseLocation(value: string): Diagnostic['range'] | undefined {
  if (!/\d/.test(value)) return undefined;
  const parts = value.split(',').map((part) => Number.parseInt(part, 10));
  const [line, column, endLine, endColumn] = parts;
  return location(line, column, parts.length > 3 ? endLine : undefined, parts.length > 3 ? endColumn : undefined);
}

function fromLines(data: ProblemData): Diagnostic['range'] | undefined {
  if (!data.line) return undefined;
  const int = (value: string | undefined): number | undefined => (value ? Number.parseInt(value, 10) : undefined);
  return location(int(data.line), int(data.character), int(data.endLine), int(data.endCharacter));
}

function location(
  line: number | undefined,
  column: number | undefined,
  endLine: number | undefined,
  endColumn: number | undefined,
): Diagnostic['range'] | undefined {
  if (line === undefined || Number.isNaN(line)) return undefined;
  const col = column === undefined || Number.isNaN(column) ? undefined : column;
  const endCol = endColumn === undefined || Number.isNaN(endColumn) ? undefined : endColumn;
  const at = (l: number, c: number) => ({ line: Math.max(0, l - 1), character: Math.max(0, c - 1) });
  if (col !== undefined && endCol !== undefined) {
    return { start: at(line, col), end: at(endLine || line, endCol) };
  }
  if (col !== undefined) return { start: at(line, col), end: at(line, col) };
  return { start: at(line, 1), end: at(line, WHOLE_LINE_END) };
}

/**
 * VS Code's getSeverity: the words error, warning (or warn) and info in any case, the
 * letters E, W and I, and hint or note (as info); anything else is undefined, so the
 * matcher's own severity applies.
 */
export function severityOf(value: string | undefined): DiagnosticSeverity | undefined {
  if (!value) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'error' || value === 'E') return 1;
  if (lower === 'warning' || lower === 'warn' || value === 'W') return 2;
  if (lower === 'info' || value === 'I' || lower === 'hint' || lower === 'note') return 3;
  return undefined;
}
