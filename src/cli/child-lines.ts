import type { Child, ChildEvents } from '../child/child.js';
import type { Diagnostic } from '../protocol/index.js';
import { describeExit } from '../child/run.js';
import { formatErrorText, reasonLine } from './error-text.js';
import { countOf, formatDiagnostic, portAddress, runtimeLabel, type Paint } from './format.js';
import { stateWord } from './roster.js';
import { escapeControls, sanitizeOutput } from './sanitize-text.js';

/** A line about a child, and whether it is output (kept in the TTY view's scrollback) or status. */
export interface ChildLine {
  text: string;
  /** 'output': the child's own words (stdout, stderr, logs, diagnostics, cycle ends, failures); 'status': lifecycle. */
  kind: 'output' | 'status';
  /** Printed without the id prefix (diagnostics, so terminals and editors link `path:line:col`). */
  bare?: boolean;
}

/**
 * Turns a child's events into lines; returns a function that unsubscribes. Every text the
 * child controls is made terminal-safe here: reported fields escaped, printed lines cleaned of
 * everything but colour (see sanitize-text.ts).
 */
export function childLines(child: Child, paint: Paint, emit: (line: ChildLine) => void): () => void {
  const stops: (() => void)[] = [];
  const on = <E extends keyof ChildEvents>(event: E, listener: (...args: ChildEvents[E]) => void): void => {
    child.on(event, listener as never);
    stops.push(() => child.off(event, listener as never));
  };
  // The exit's own line, which an `exited` state's reason repeats (`exited with code 0`): that
  // state's line says instead why nothing follows.
  let exitLine: string | undefined;
  on('state', (state, previous) => {
    if (state.kind === 'exited' && state.reason === exitLine) {
      emit({ kind: 'status', text: `exited: not restarted (restart: '${child.spec.restart}')` });
      return;
    }
    // A child that had already ended (its line said how) is only marked stopped by a stop
    // (the shutdown's, most often): nothing ran, so nothing happened worth a line.
    const ended = previous.kind === 'exited' || previous.kind === 'failed' || previous.kind === 'stopped';
    if (state.kind === 'stopped' && ended) return;
    const pid = 'pid' in state && state.pid !== undefined ? ` (pid ${state.pid})` : '';
    // A give-up has its own line (the gave-up event) with the same words.
    if (state.kind === 'failed' && state.error.code === 'GAVE_UP') {
      emit({ kind: 'status', text: `${stateWord(state)}${pid}: restart limit reached` });
      return;
    }
    // A failed start's whole message is printed here, once (the run's other mentions are brief),
    // so it is output: on a terminal it scrolls above the table instead of living in it.
    const error = state.kind === 'failed' || state.kind === 'exited' ? state.error : undefined;
    if (error !== undefined) {
      emit({ kind: 'output', text: `${stateWord(state)}${pid}: ${formatErrorText(error)}` });
      return;
    }
    emit({ kind: 'status', text: `${stateWord(state)}${pid}: ${reasonLine(state.reason)}` });
  });
  // Said before each spawn, so also before a failed start; repeated only when a restart picks another.
  let lastRuntime: string | undefined;
  on('runtime', (runtime) => {
    const label = runtimeLabel(runtime);
    if (label !== lastRuntime) emit({ kind: 'status', text: escapeControls(label) });
    lastRuntime = label;
  });
  on('port', (port) =>
    emit({ kind: 'status', text: `port ${escapeControls(port.name)} ${paint.cyan(portAddress(port))}` }),
  );
  // A file's set is published whole at every change (a matcher flushes once per batch of
  // lines), so only the diagnostics not printed already are printed: each appears once. During
  // a watch cycle a file's set is what was found so far (its first problem replaces the old set,
  // as in VS Code), so one still being reprinted is briefly missing: what was printed is only
  // forgotten when the file is cleared or at the cycle's end, when its set is whole again.
  const shown = new Map<string, Set<string>>();
  const texts = (file: string, list: readonly Diagnostic[]): Set<string> =>
    new Set(list.map((diagnostic) => formatDiagnostic(file, diagnostic, paint)));
  on('diagnostics', (file, list) => {
    if (list.length === 0) {
      shown.delete(file);
      return;
    }
    const printed = shown.get(file) ?? new Set<string>();
    for (const text of texts(file, list)) {
      if (printed.has(text)) continue;
      emit({ kind: 'output', bare: true, text });
      printed.add(text);
    }
    shown.set(file, printed);
  });
  on('cycle', (cycle) => {
    if (cycle.phase !== 'end') return;
    for (const file of shown.keys()) {
      const list = child.diagnostics.get(file);
      if (list === undefined || list.length === 0) shown.delete(file);
      else shown.set(file, texts(file, list));
    }
    const errors = countOf(cycle.errors, 'error');
    const text = `cycle: ${cycle.errors > 0 ? paint.red(errors) : errors}, ${countOf(cycle.warnings, 'warning')}`;
    // tsc counted errors that name no file (TS6053 and the like): only its own lines show them.
    const unlocated = cycle.unlocated ? ` (${cycle.unlocated} with no file, in its output above)` : '';
    emit({ kind: 'output', text: `${text} in ${Math.round(cycle.durationMs)} ms${unlocated}` });
  });
  on('log', ({ level, message }) => {
    const shown = level === 'error' ? paint.red(level) : level === 'warn' ? paint.yellow(level) : paint.dim(level);
    emit({ kind: 'output', text: `${shown}: ${escapeControls(message)}` });
  });
  on('stdout', (line) => emit({ kind: 'output', text: sanitizeOutput(line, paint.on) }));
  on('stderr', (line) => emit({ kind: 'output', text: paint.red(sanitizeOutput(line, paint.on)) }));
  on('exit', (exit) => {
    exitLine = describeExit(exit);
    emit({ kind: 'status', text: exitLine });
  });
  // An unhealthy run is stopped by the parent without a `stopping` state: without this line its
  // exit (`killed by SIGTERM`, procwire's own signal) would be all that shows.
  on('health', (health, detail) => {
    if (health !== 'unhealthy') return;
    const pid = child.pid === undefined ? '' : ` (pid ${child.pid})`;
    emit({ kind: 'output', text: paint.red(`unhealthy${pid}: ${escapeControls(detail)}; stopping it`) });
  });
  on('restart', ({ restarts, delayMs }) => emit({ kind: 'status', text: `restart ${restarts} in ${delayMs} ms` }));
  on('gave-up', (error) => emit({ kind: 'output', text: paint.red(`gave up: ${formatErrorText(error)}`) }));
  on('protocol-error', (error) =>
    emit({ kind: 'output', text: paint.red(`protocol error: ${escapeControls(error.message)}`) }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}
