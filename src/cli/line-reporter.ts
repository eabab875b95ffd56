import type { RosterEntry } from './roster.js';
import { childLines } from './child-lines.js';
import { idPrefix, idWidth, withPrefix, type Paint } from './format.js';
import type { Reporter } from './reporter.js';

/**
 * Off a TTY (CI, pipes, log files): one line per event, prefixed with the child's id and
 * padded so the columns line up; diagnostics unprefixed, as compilers print them.
 */
export function lineReporter(ids: string[], paint: Paint, write: (text: string) => void): Reporter {
  const width = idWidth(ids);
  const prefix = (id: string): string => idPrefix(id, width, paint);
  const stops: (() => void)[] = [];
  return {
    watch(entry: RosterEntry) {
      if (!entry.child) return;
      stops.push(
        childLines(entry.child, paint, (line) =>
          write(`${line.bare ? line.text : withPrefix(prefix(entry.id), line.text)}\n`),
        ),
      );
    },
    note(text: string) {
      write(`${prefix('procwire')}${text}\n`);
    },
    probed(entry: RosterEntry, port: string, answer: string) {
      write(`${prefix(entry.id)}probe ${port}: ${answer}\n`);
    },
    close() {
      for (const stop of stops) stop();
    },
  };
}
