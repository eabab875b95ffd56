import type { ChildState } from '../child/state.js';
import type { ProcwireError } from '../protocol/index.js';
import { describeEnding } from './ending.js';
import { countOf, countProblems, portAddress, type Paint } from './format.js';
import type { RosterEntry } from './roster.js';

/** What is known of a child just before the shutdown, which stops every child and clears its ports. */
export interface BeforeShutdown {
  state: ChildState | undefined;
  startError: ProcwireError | undefined;
  ports: string;
}

/** Records each entry's state, start error and ports; call it before the shutdown. */
export function recordBeforeShutdown(entries: readonly RosterEntry[]): Map<string, BeforeShutdown> {
  return new Map(
    entries.map((entry) => [
      entry.id,
      {
        state: entry.child?.state,
        startError: entry.startError,
        ports: [...(entry.child?.ports.values() ?? [])].map(portAddress).join(' '),
      },
    ]),
  );
}

/**
 * The closing summary, one line per child after the shutdown: how it ended (see
 * describeEnding), whether it is critical, its restarts, errors, warnings and ports; then the
 * verdict. `failed` when a critical child's ending fails the run (see Ending.fails).
 */
export function formatSummary(
  entries: readonly RosterEntry[],
  before: ReadonlyMap<string, BeforeShutdown>,
  paint: Paint,
): { text: string; failed: boolean } {
  const failures: string[] = [];
  const lines = entries.map((entry) => {
    const was = before.get(entry.id);
    const ending = describeEnding(was?.state, was?.startError, entry.child?.state);
    // A `failed` line says why already; an exit needs saying why it counts.
    if (ending.fails && entry.critical)
      failures.push(ending.kind === 'failed' ? entry.id : `${entry.id} (${ending.text})`);
    const shown =
      ending.kind === 'failed' ? `${paint.red('failed')}${ending.text.slice('failed'.length)}` : ending.text;
    const note = entry.critical ? '' : paint.dim(' (not critical)');
    const { errors, warnings } = entry.child ? countProblems(entry.child) : { errors: 0, warnings: 0 };
    const ports = was?.ports ? `, ${was.ports}` : '';
    return (
      `  ${entry.id}${note}: ${shown}, ${countOf(entry.child?.restarts ?? 0, 'restart')}, ` +
      `${countOf(errors, 'error')}, ${countOf(warnings, 'warning')}${ports}\n`
    );
  });
  const n = failures.length;
  const verdict =
    n > 0
      ? paint.red(`${n} critical ${n === 1 ? 'child' : 'children'} failed: ${failures.join(', ')}`)
      : 'all critical children ok';
  return { text: `\n${paint.bold('summary')}\n${lines.join('')}${verdict}\n`, failed: n > 0 };
}
