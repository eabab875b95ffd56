import type { ResolvedRuntime } from '../toolchain/index.js';
import { shortSource } from '../toolchain/short-source.js';
import { relative, isAbsolute } from 'node:path';
import { isIP } from 'node:net';
import type { Diagnostic, PortInfo } from '../protocol/index.js';
import type { Child } from '../child/child.js';
import { escapeControls } from './sanitize-text.js';

/** ANSI styling that is a no-op when color is off. */
export interface Paint {
  /** Whether color is on; a child's own colour (SGR) is passed through only then. */
  readonly on: boolean;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Colors on a TTY unless NO_COLOR is set (non-empty, per no-color.org); FORCE_COLOR turns them on anywhere. */
export function makePaint(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Paint {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const on = forced || (!env.NO_COLOR && stream.isTTY === true);
  const style = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return {
    on,
    red: style(31, 39),
    yellow: style(33, 39),
    green: style(32, 39),
    cyan: style(36, 39),
    dim: style(2, 22),
    bold: style(1, 22),
  };
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'] as const;

/**
 * A diagnostic the way tsc prints one: `path:line:col - error TS2322: message`, 1-based.
 * The child's file, code and message have their control characters escaped (see escapeControls).
 */
export function formatDiagnostic(
  file: string,
  diagnostic: Diagnostic,
  paint: Paint,
  cwd: string = process.cwd(),
): string {
  const shown = isAbsolute(file) && !relative(cwd, file).startsWith('..') ? relative(cwd, file) : file;
  const { line, character } = diagnostic.range.start;
  const severity = SEVERITY[diagnostic.severity ?? 1] ?? 'error';
  const colored =
    severity === 'error' ? paint.red(severity) : severity === 'warning' ? paint.yellow(severity) : paint.cyan(severity);
  const code = diagnostic.code === undefined ? '' : ` ${paint.dim(escapeControls(shownCode(diagnostic)))}`;
  const position = `${paint.yellow(String(line + 1))}:${paint.yellow(String(character + 1))}`;
  const where = `${paint.cyan(escapeControls(shown))}:${position}`;
  return `${where} - ${colored}${code}: ${escapeControls(diagnostic.message)}`;
}

/**
 * `TS2322` for TypeScript's own diagnostics: the `$tsc` matchers keep VS Code's bare number
 * (`2322`, source `ts`), but tsc prints the prefix and editors' `$tsc` regexps need it to link the line.
 */
function shownCode(diagnostic: Diagnostic): string {
  const code = String(diagnostic.code);
  return diagnostic.source === 'ts' && /^\d+$/.test(code) ? `TS${code}` : code;
}

/**
 * Where a port can be reached, for display: a URL for http(s), host:port otherwise, an IPv6
 * literal in brackets. The child's host has its control characters escaped.
 */
export function portAddress(port: PortInfo): string {
  const where = `${escapeControls(bracketIPv6(port.host))}:${port.port}`;
  return port.protocol === 'http' || port.protocol === 'https' ? `${port.protocol}://${where}` : where;
}

/** `[::1]` for an IPv6 literal (as URLs and `host:port` need), anything else unchanged. */
export function bracketIPv6(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** A short uptime: 42s, 3m05s, 2h03m. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `1 error`, `2 errors`: a count with its word, for every count the CLI spells out. */
export function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A child's error and warning counts: its diagnostics, plus the errors its last watch cycle
 * counted that name no file (`unlocated`, see CycleEvent), which are in no diagnostic list.
 */
export function countProblems(child: Pick<Child, 'diagnostics' | 'lastCycle'>): {
  errors: number;
  warnings: number;
} {
  const { diagnostics } = child;
  let errors = child.lastCycle?.unlocated ?? 0;
  let warnings = 0;
  for (const list of diagnostics.values()) {
    for (const d of list) {
      if ((d.severity ?? 1) === 1) errors++;
      else if (d.severity === 2) warnings++;
    }
  }
  return { errors, warnings };
}

/** A child's runtime as `procwire run` shows it: `node 18.20.4 (.nvmrc)`, `(spec)`, `(PATH)`. */
export function runtimeLabel(runtime: ResolvedRuntime): string {
  return `${runtime.name} ${runtime.version} (${shortSource(runtime.source)})`;
}

/** `web      | `: a child's id padded to `width`, then a bar, as every line of a run starts. */
export function idPrefix(id: string, width: number, paint: Paint): string {
  return `${paint.dim(id.padEnd(width))} | `;
}

/** The width of the ids' column: the longest id of the run, and at least `procwire`'s own lines'. */
export function idWidth(ids: readonly string[]): number {
  return Math.max('procwire'.length, ...ids.map((id) => id.length));
}

/** A line after its prefix; an empty line leaves no space after the bar. */
export function withPrefix(prefix: string, text: string): string {
  return text === '' ? prefix.trimEnd() : `${prefix}${text}`;
}
