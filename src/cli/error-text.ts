import { escapeControls } from './sanitize-text.js';

// procwire's own messages have one structure across lines: a start that ended before ready
// lists the child's last stderr lines (child/until-ready.ts). The lines are the child's, so
// they are escaped one by one; the newlines between them are procwire's and stay real. The
// block is found by the error's own stderrTail, never by searching the text for a marker a
// child could have written itself.

const MARKER = '; last stderr lines:';
const INDENT = '\n  ';
/** Past this, a brief mention of a failure printed whole elsewhere is cut at a word. */
const BRIEF_CHARS = 100;

/** An error as the CLI has it: its message and, for a start that ended early, the stderr lines it quotes. */
export interface ErrorText {
  message: string;
  stderrTail?: readonly string[] | undefined;
}

interface Parts {
  head: string;
  tail: readonly string[];
  rest: string;
}

function partsOf(error: ErrorText): Parts {
  const tail = error.stderrTail ?? [];
  if (tail.length === 0) return { head: error.message, tail: [], rest: '' };
  const block = `${MARKER}${INDENT}${tail.join(INDENT)}`;
  // The last occurrence: what follows the real block is procwire's (a GAVE_UP's advice).
  const at = error.message.lastIndexOf(block);
  if (at === -1) return { head: error.message, tail: [], rest: '' };
  return { head: error.message.slice(0, at), tail, rest: error.message.slice(at + block.length) };
}

/**
 * The whole message for the terminal: escaped, except that the stderr lines it quotes are
 * real lines indented by two spaces (and what followed them, a line of its own).
 */
export function formatErrorText(error: ErrorText): string {
  const { head, tail, rest } = partsOf(error);
  if (tail.length === 0) return escapeControls(error.message);
  const lines = tail.map((line) => `${INDENT}${escapeControls(line)}`).join('');
  const after = rest.replace(/^[.;,]?\s*/, '');
  return `${escapeControls(head)}${MARKER}${lines}${after === '' ? '' : `\n${escapeControls(after)}`}`;
}

/** The message on one line, escaped, without the stderr lines it quotes (`…; last stderr lines above`). */
export function errorLine(error: ErrorText): string {
  const { head, tail, rest } = partsOf(error);
  if (tail.length === 0) return escapeControls(error.message);
  return `${escapeControls(head)}; last stderr lines above${escapeControls(rest)}`;
}

/**
 * A state's reason that quotes a start's stderr lines, when the error itself is not at hand
 * (`backoff`): cut before them (`…; last stderr lines above`), since each was printed as the
 * child wrote it. A marker the child wrote itself can only cut its own text short.
 */
export function reasonLine(reason: string): string {
  const at = reason.indexOf(`${MARKER}${INDENT}`);
  return escapeControls(at === -1 ? reason : `${reason.slice(0, at)}; last stderr lines above`);
}

/**
 * A short mention of a failure printed whole elsewhere: without `child "<id>": ` and the
 * stderr lines, cut at a word past 100 characters, and then ending `… (whole message above)`.
 * It follows "did not start: ", so a DEPENDENCY_FAILED's own "was not started: " goes too.
 */
export function briefError(error: ErrorText, childId: string): string {
  const { head, tail } = partsOf(error);
  const prefix = [`child ${JSON.stringify(childId)}: `, `child ${JSON.stringify(childId)} `].find((p) =>
    head.startsWith(p),
  );
  const text = escapeControls(prefix === undefined ? head : head.slice(prefix.length)).replace(
    /^was not started: /,
    '',
  );
  if (text.length <= BRIEF_CHARS) return tail.length > 0 ? `${text} (its stderr above)` : text;
  const cut = text.lastIndexOf(' ', BRIEF_CHARS);
  return `${text.slice(0, cut > BRIEF_CHARS / 2 ? cut : BRIEF_CHARS)}… (whole message above)`;
}
