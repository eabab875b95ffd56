// Imports nothing: the CLI bundle reads a GAVE_UP's message with it, and must not carry the
// protocol's classes (see scripts/build-cli.mjs).

const LAST = '; last failure: ';
const ADVICE = '. Fix the cause and call child.start(), or raise maxRestarts / restartWindow.';

/** A GAVE_UP's message: the child, the limit that was reached, the last failure, and what to do. */
export function gaveUpMessage(id: string, limit: string, last: string): string {
  return `child "${id}" failed and will not be restarted (${limit})${LAST}${last}${ADVICE}`;
}

/**
 * The last failure a GAVE_UP's message names (`unhealthy: …`, `exited with code 1`, a start
 * error's message), or undefined for a message gaveUpMessage did not make. A child's id cannot
 * hold `; ` and the limit is procwire's words, so the first `; last failure: ` is the one.
 */
export function lastFailureOf(message: string): string | undefined {
  const start = message.indexOf(LAST);
  if (start === -1 || !message.endsWith(ADVICE)) return undefined;
  return message.slice(start + LAST.length, message.length - ADVICE.length);
}
