// Everything a child controls (its output, and every string it reports) reaches the user's
// terminal, where escape sequences act: OSC 52 writes the clipboard, OSC 0/2 the window title,
// OSC 8 makes a link whose text lies about its target, CSI moves the cursor and clears the
// screen. Both functions run in one pass over the text (no backtracking regexps), so a
// megabyte of escapes costs what a megabyte of text does.

const ESC = 0x1b;
const TAB = 0x09;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const ST_8BIT = 0x9c;
const CSI_8BIT = 0x9b;

const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
const NEEDS_CLEANING = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f);
/** Introducers of control strings after ESC: OSC `]`, DCS `P`, SOS `X`, PM `^`, APC `_`. */
const opensStringAfterEsc = (code: number): boolean =>
  code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f;
/** The same as 8-bit C1 controls. */
const opensString8Bit = (code: number): boolean =>
  code === 0x9d || code === 0x90 || code === 0x98 || code === 0x9e || code === 0x9f;

/**
 * For a field a child reports (a port's name or host, a log or diagnostic message, a file
 * name, a status text): every C0 control (U+0000-U+001F, tab and newline included), DEL and
 * C1 control (U+0080-U+009F) becomes visible text: `\t`, `\n`, `\r`, otherwise `\xHH`
 * (ESC is `\x1b`). Nothing else changes; backslashes are not doubled, so Windows paths stay
 * readable. The result holds no control character and is one line.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * For a line a child prints: the text, with tab kept and every other control removed.
 * SGR colour sequences (`ESC [ digits ; : m`, or the 8-bit CSI form, written back in 7-bit)
 * are kept when `colour` is true, and then the line ends with a reset so the colour cannot
 * leak into what follows. Removed whole: OSC, DCS, SOS, PM and APC strings up to their BEL or
 * ST (to the end of the line when unterminated), every other CSI sequence, every other ESC
 * sequence, and lone C0/C1 controls (CR and backspace too). A malformed sequence is dropped up
 * to the character that broke it, which is then read afresh. The result's only control
 * characters are tab and the ESC of a kept SGR sequence.
 */
export function sanitizeOutput(line: string, colour: boolean): string {
  if (!NEEDS_CLEANING.test(line)) return line;
  let out = '';
  let keptColour = false;
  let plainFrom = 0;
  let i = 0;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (!isControl(code) || code === TAB) {
      i++;
      continue;
    }
    if (plainFrom < i) out += line.slice(plainFrom, i);
    const next = line.charCodeAt(i + 1);
    let end: number;
    if (code === CSI_8BIT || (code === ESC && next === 0x5b)) {
      const csi = scanCsi(line, code === ESC ? i + 2 : i + 1);
      if (csi.sgr !== undefined && colour) {
        out += `\x1b[${csi.sgr}m`;
        keptColour = true;
      }
      end = csi.end;
    } else if (opensString8Bit(code) || (code === ESC && opensStringAfterEsc(next))) {
      end = skipControlString(line, code === ESC ? i + 2 : i + 1);
    } else if (code === ESC) {
      end = skipEscape(line, i + 1);
    } else {
      end = i + 1;
    }
    i = end;
    plainFrom = end;
  }
  out += line.slice(plainFrom);
  return keptColour ? `${out}\x1b[0m` : out;
}

/** A CSI sequence from its parameters at `from` (ECMA-48: parameters, intermediates, final). */
function scanCsi(line: string, from: number): { end: number; sgr: string | undefined } {
  let i = from;
  let sgrShaped = true;
  while (i < line.length && inRange(line.charCodeAt(i), 0x30, 0x3f)) {
    // `< = > ?` mark private sequences (e.g. CSI > 4 m), which are not colour.
    if (line.charCodeAt(i) > 0x3b) sgrShaped = false;
    i++;
  }
  const params = line.slice(from, i);
  while (i < line.length && inRange(line.charCodeAt(i), 0x20, 0x2f)) {
    sgrShaped = false;
    i++;
  }
  if (i >= line.length || !inRange(line.charCodeAt(i), 0x40, 0x7e)) return { end: i, sgr: undefined };
  const isSgr = sgrShaped && line.charCodeAt(i) === 0x6d;
  return { end: i + 1, sgr: isSgr ? params : undefined };
}

/** Skips an OSC/DCS/SOS/PM/APC body from `from`; returns the index after its terminator. */
function skipControlString(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === BEL || c === ST_8BIT || c === CAN || c === SUB) return i + 1;
    // ESC \ is ST; any other ESC ends the string (as terminals do) and starts a new sequence.
    if (c === ESC) return line.charCodeAt(i + 1) === 0x5c ? i + 2 : i;
  }
  return line.length;
}

/** Skips a plain ESC sequence (intermediates, then one final) after the ESC at `from - 1`. */
function skipEscape(line: string, from: number): number {
  let i = from;
  while (i < line.length && inRange(line.charCodeAt(i), 0x20, 0x2f)) i++;
  return i < line.length && inRange(line.charCodeAt(i), 0x30, 0x7e) ? i + 1 : i;
}

function inRange(code: number, low: number, high: number): boolean {
  return code >= low && code <= high;
}
