import { stripVTControlCharacters } from 'node:util';
import { childLines } from './child-lines.js';
import { countProblems, formatUptime, portAddress, type Paint } from './format.js';
import type { Reporter } from './reporter.js';
import { escapeControls } from './sanitize-text.js';
import { shownState, type RosterEntry } from './roster.js';

const REDRAW_MS = 100;
const UP = (lines: number): string => (lines > 0 ? `\x1b[${lines}A` : '');
const CLEAR_DOWN = '\x1b[0J';
// Auto-wrap off while the table is drawn: a row measured narrower than it shows (wide or
// combining characters in a reported host) is clipped at the edge instead of wrapping, which
// would leave the next redraw's cursor-up count short and smear the table.
const NO_WRAP = '\x1b[?7l';
const WRAP = '\x1b[?7h';

/**
 * On a TTY: the children's output scrolls above a status table that is redrawn in place
 * (id, state, pid, restarts, ports, uptime, errors and warnings). Redraws are coalesced
 * to one per 100 ms, plus one a second for the uptimes.
 */
export function ttyReporter(entries: RosterEntry[], paint: Paint, stream: NodeJS.WriteStream): Reporter {
  let drawn = 0;
  let pending: NodeJS.Timeout | undefined;
  const stops: (() => void)[] = [];
  const width = Math.max(...entries.map((e) => e.id.length), 2);
  const fit = (line: string): string => {
    const columns = stream.columns || 120;
    return stripVTControlCharacters(line).length > columns
      ? `${stripVTControlCharacters(line).slice(0, columns - 1)}…`
      : line;
  };

  const table = (): string[] => {
    // A RUNTIME column only when some child pins one.
    const runtimes = entries.map((entry) => {
      const runtime = entry.child?.runtime;
      return runtime ? escapeControls(`${runtime.name} ${runtime.version}`) : entry.child?.spec.runtime ? '-' : '';
    });
    const runtimeWidth = Math.max(...runtimes.map((text) => text.length));
    const runtimeColumn = (text: string): string =>
      runtimeWidth > 0 ? `${text.padEnd(Math.max(runtimeWidth, 7))}  ` : '';
    const header = paint.bold(
      `${'ID'.padEnd(width)}  ${'STATE'.padEnd(9)} ${'PID'.padStart(7)} ${'RESTARTS'.padStart(8)}  ` +
        `${'UPTIME'.padStart(7)} ${'ERR'.padStart(4)} ${'WARN'.padStart(4)}  ${runtimeColumn('RUNTIME')}PORTS`,
    );
    const rows = entries.map((entry, index) => {
      const child = entry.child;
      const state = shownState(entry);
      const colored =
        state === 'running'
          ? paint.green(state.padEnd(9))
          : state === 'failed'
            ? paint.red(state.padEnd(9))
            : state === 'starting' || state === 'backoff' || state === 'stopping'
              ? paint.yellow(state.padEnd(9))
              : paint.dim(state.padEnd(9));
      const pid = String(child?.pid ?? '-').padStart(7);
      const restarts = String(child?.restarts ?? 0).padStart(8);
      const uptime = (
        state === 'running' && child?.startedAt ? formatUptime(Date.now() - child.startedAt.getTime()) : '-'
      ).padStart(7);
      const { errors, warnings } = child ? countProblems(child.diagnostics) : { errors: 0, warnings: 0 };
      const err = errors > 0 ? paint.red(String(errors).padStart(4)) : String(errors).padStart(4);
      const warn = warnings > 0 ? paint.yellow(String(warnings).padStart(4)) : String(warnings).padStart(4);
      const ports = [...(child?.ports.values() ?? [])]
        .map((port) => {
          const probe = entry.probes.get(port.name);
          return `${paint.cyan(portAddress(port))}${probe ? paint.dim(` (${probe})`) : ''}`;
        })
        .join(' ');
      const runtime = runtimeColumn(runtimes[index] ?? '');
      return `${entry.id.padEnd(width)}  ${colored} ${pid} ${restarts}  ${uptime} ${err} ${warn}  ${runtime}${ports}`;
    });
    return [header, ...rows].map(fit);
  };

  const draw = (above: string[] = []): void => {
    const lines = table();
    stream.write(
      `${UP(drawn)}\r${CLEAR_DOWN}${above.map((line) => `${line}\n`).join('')}${NO_WRAP}${lines.join('\n')}\n${WRAP}`,
    );
    drawn = lines.length;
  };
  const schedule = (): void => {
    pending ??= setTimeout(() => {
      pending = undefined;
      draw();
    }, REDRAW_MS);
  };
  const ticker = setInterval(schedule, 1000);
  ticker.unref();
  stream.write('\x1b[?25l'); // hide the cursor while the table redraws
  draw();

  return {
    watch(entry) {
      if (!entry.child) return;
      stops.push(
        childLines(entry.child, paint, (line) => {
          // Lifecycle lines live in the table; output scrolls above it.
          if (line.kind === 'status') schedule();
          // Output is never cut: the terminal wraps it above the table.
          else draw([line.bare ? line.text : `${paint.dim(entry.id.padEnd(width))} | ${line.text}`]);
        }),
      );
    },
    note(text) {
      draw([`${paint.dim('procwire'.padEnd(width))} | ${text}`]);
    },
    probed() {
      schedule();
    },
    close() {
      for (const stop of stops) stop();
      clearInterval(ticker);
      clearTimeout(pending);
      draw();
      stream.write('\x1b[?25h');
    },
  };
}
