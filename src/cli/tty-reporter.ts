import { stripVTControlCharacters } from 'node:util';
import { childLines } from './child-lines.js';
import { countProblems, type Paint } from './format.js';
import type { Reporter } from './reporter.js';
import { dependencyWait, shownState, type RosterEntry } from './roster.js';
import { statusTable } from './status-table.js';

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

  const table = (): string[] =>
    statusTable(
      entries.map((entry) => {
        const child = entry.child;
        const state = shownState(entry);
        const { errors, warnings } = child ? countProblems(child) : { errors: 0, warnings: 0 };
        return {
          id: entry.id,
          state,
          pid: child?.pid,
          restarts: child?.restarts ?? 0,
          uptimeMs: state === 'running' && child?.startedAt ? Date.now() - child.startedAt.getTime() : undefined,
          errors,
          warnings,
          ports: [...(child?.ports.values() ?? [])],
          probes: entry.probes,
          runtime: child?.runtime ? `${child.runtime.name} ${child.runtime.version}` : child?.spec.runtime ? '-' : '',
          // A child waiting for its dependencies says what for, where its ports will be.
          waiting: child ? dependencyWait(child.state.kind, child.state.reason) : undefined,
        };
      }),
      paint,
    ).map(fit);

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
          else draw(line.bare ? [line.text] : prefixed(paint.dim(entry.id.padEnd(width)), line.text));
        }),
      );
    },
    note(text) {
      draw(prefixed(paint.dim('procwire'.padEnd(width)), text));
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

// As in line-reporter.ts: each line of a text of procwire's that spans lines says whose it is.
function prefixed(id: string, text: string): string[] {
  return text.split('\n').map((line) => `${id} | ${line}`);
}
