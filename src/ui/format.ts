import type { ChildView } from '../control/types.js';

/** A short uptime, as the terminal's table shows it: 42s, 3m05s, 2h03m. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** How long a running child has run, at `now` (ms since the epoch). */
export function uptime(child: ChildView, now: number): string {
  if (child.state !== 'running' || child.startedAt === null) return '-';
  return formatUptime(Math.max(0, now - Date.parse(child.startedAt)));
}

// What a terminal would act on, removed in order: ECMA-48 control strings (OSC, DCS, APC, PM,
// SOS, up to BEL or ST), CSI sequences, other escapes, and lone control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it removes
const STRINGS = /\x1b[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const OTHER = /\x1b[ -/]*[0-~]?|[\x00-\x08\x0b-\x1f\x7f]/g;

/** A child's line as text: escape sequences and control characters removed (the DOM shows text only). */
export function plainText(line: string): string {
  return line.replace(STRINGS, '').replace(CSI, '').replace(OTHER, '');
}

/** A port as `host:port`, an IPv6 literal in brackets (`[::1]:5173`), as `procwire ps` shows it. */
export function portAddress(port: ChildView['ports'][number]): string {
  return `${port.host.includes(':') ? `[${port.host}]` : port.host}:${port.port}`;
}

/**
 * A diagnostic's code as the terminal shows it (cli/format.ts): `TS2322` for TypeScript's own,
 * which the `$tsc` matchers keep as VS Code's bare number with source `ts`.
 */
export function shownCode(diagnostic: { code?: string | number; source?: string }): string {
  const code = String(diagnostic.code);
  return diagnostic.source === 'ts' && /^\d+$/.test(code) ? `TS${code}` : code;
}

/** Where a port can be opened: an http(s) URL, or undefined for a port of another protocol. */
export function portUrl(port: ChildView['ports'][number]): string | undefined {
  if (port.protocol !== undefined && port.protocol !== 'http' && port.protocol !== 'https') return undefined;
  // A wildcard address is reached on this machine's loopback.
  const host = port.host === '0.0.0.0' || port.host === '::' || port.host === '' ? '127.0.0.1' : port.host;
  try {
    const url = new URL(`${port.protocol ?? 'http'}://${host.includes(':') ? `[${host}]` : host}:${port.port}/`);
    return url.port === String(port.port) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The longest directory prefix all `files` share, to show paths shorter. */
export function commonDir(files: readonly string[]): string {
  if (files.length === 0) return '';
  let prefix = (files[0] as string).slice(0, (files[0] as string).lastIndexOf('/') + 1);
  for (const file of files) {
    while (prefix !== '' && !file.startsWith(prefix))
      prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  }
  return prefix;
}
