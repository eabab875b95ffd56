import type { RosterEntry } from './roster.js';

/** How `procwire run` shows what happens: a live table on a TTY, lines elsewhere. */
export interface Reporter {
  /** A child handle exists (before its process starts); follow its events. */
  watch(entry: RosterEntry): void;
  /** A line from procwire itself. */
  note(text: string): void;
  /** A port answered (or did not answer) the probe. */
  probed(entry: RosterEntry, port: string, answer: string): void;
  /** Stop following and drawing; what was printed stays. */
  close(): void;
}
