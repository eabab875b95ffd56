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
        childLines(entry.child, paint, (line) => write(prefixed(line.bare ? '' : prefix(entry.id), line.text))),
      );
    },
    note(text: string) {
      write(prefixed(prefix('procwire'), text));
    },
    probed(entry: RosterEntry, port: string, answer: string) {
      write(`${prefix(entry.id)}probe ${port}: ${answer}\n`);
    },
    close() {
      for (const stop of stops) stop();
    },
  };
}

// A line of procwire's own may span lines (a failed start's stderr lines, see error-text.ts):
// each gets the prefix, so every line still says whose it is. Child text holds no newline.
function prefixed(prefix: string, text: string): string {
  return `${text
    .split('\n')
    .map((line) => withPrefix(prefix, line))
    .join('\n')}\n`;
}
