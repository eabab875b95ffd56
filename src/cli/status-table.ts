import type { PortInfo } from '../protocol/index.js';
import { formatUptime, portAddress, type Paint } from './format.js';
import { escapeControls } from './sanitize-text.js';

/** One child as the status table shows it, from a live handle or from the control API. */
export interface StatusRow {
  id: string;
  state: string;
  pid: number | undefined;
  restarts: number;
  /** Set while running. */
  uptimeMs: number | undefined;
  errors: number;
  warnings: number;
  ports: readonly PortInfo[];
  /** The http probe's answer by port name ('200 OK'), where one was made. */
  probes?: ReadonlyMap<string, string>;
  /** `name version` of a pinned runtime, `-` when pinned but not resolved yet, '' or absent: none. */
  runtime?: string;
  /** `waiting: db healthy` while the child waits for its dependencies (shown instead of ports). */
  waiting?: string;
}

/**
 * The status table of `procwire run`'s live view and of `procwire ps`: a header and one line
 * per child (id, state, pid, restarts, uptime, errors, warnings, runtime when any, ports), coloured by `paint`.
 */
export function statusTable(rows: readonly StatusRow[], paint: Paint): string[] {
  const width = Math.max(...rows.map((row) => row.id.length), 2);
  // A RUNTIME column only when some child pins one.
  const runtimeWidth = Math.max(...rows.map((row) => escapeControls(row.runtime ?? '').length), 0);
  const runtimeColumn = (text: string): string =>
    runtimeWidth > 0 ? `${text.padEnd(Math.max(runtimeWidth, 7))}  ` : '';
  const header = paint.bold(
    `${'ID'.padEnd(width)}  ${'STATE'.padEnd(9)} ${'PID'.padStart(7)} ${'RESTARTS'.padStart(8)}  ` +
      `${'UPTIME'.padStart(7)} ${'ERR'.padStart(4)} ${'WARN'.padStart(4)}  ${runtimeColumn('RUNTIME')}PORTS`,
  );
  const lines = rows.map((row) => {
    const state = row.state.padEnd(9);
    const colored =
      row.state === 'running'
        ? paint.green(state)
        : row.state === 'failed'
          ? paint.red(state)
          : row.state === 'starting' || row.state === 'backoff' || row.state === 'stopping'
            ? paint.yellow(state)
            : paint.dim(state);
    const pid = String(row.pid ?? '-').padStart(7);
    const restarts = String(row.restarts).padStart(8);
    const uptime = (row.uptimeMs === undefined ? '-' : formatUptime(row.uptimeMs)).padStart(7);
    const err = row.errors > 0 ? paint.red(String(row.errors).padStart(4)) : String(row.errors).padStart(4);
    const warn = row.warnings > 0 ? paint.yellow(String(row.warnings).padStart(4)) : String(row.warnings).padStart(4);
    const ports = row.ports
      .map((port) => {
        const probe = row.probes?.get(port.name);
        return `${paint.cyan(portAddress(port))}${probe ? paint.dim(` (${probe})`) : ''}`;
      })
      .join(' ');
    const runtime = runtimeColumn(escapeControls(row.runtime ?? ''));
    const last = row.waiting === undefined ? ports : paint.dim(escapeControls(row.waiting));
    // A row with nothing in its last columns ends at its last value, not in padding.
    const line = `${row.id.padEnd(width)}  ${colored} ${pid} ${restarts}  ${uptime} ${err} ${warn}  ${runtime}${last}`;
    return line.trimEnd();
  });
  return [header, ...lines];
}
