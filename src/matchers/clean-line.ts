import { stripVTControlCharacters } from 'node:util';

/**
 * The most of one output line that matchers and `readyWhen: { line }` see: 4,096 characters.
 * A compiler's diagnostic line is far shorter; a longer line (minified code, a 10 MB blob) is
 * cut before anything else is done with it, so what a regexp runs over is bounded.
 */
export const MATCHED_LINE_CHARS = 4096;

/**
 * A line as a matcher sees it: cut to MATCHED_LINE_CHARS, ANSI escape sequences (colour,
 * cursor moves, screen clears) removed, and of text overwritten with carriage returns only
 * what a terminal would show last (the part after the last `\r` that has any).
 */
export function cleanLine(raw: string): string {
  let line = raw.length > MATCHED_LINE_CHARS ? raw.slice(0, MATCHED_LINE_CHARS) : raw;
  // Most lines have none of these (escape, CSI, carriage return). Three `includes` (each a
  // memchr) cost half of one character-class regexp test over the line.
  const escapes = line.includes('\x1b') || line.includes('\x9b');
  const returns = line.includes('\r');
  if (!escapes && !returns) return line;
  if (escapes) line = stripVTControlCharacters(line);
  if (returns) {
    const parts = line.split('\r');
    line = parts.findLast((part) => part.length > 0) ?? '';
  }
  return line;
}
