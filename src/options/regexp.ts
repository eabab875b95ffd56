import { quote } from './duration.js';

// Quantifiers with a maximum above this count as repeating without bound: `(a{1,50})+` is
// as dangerous as `(a+)+`, while `(\d{1,2}){1,3}` is harmless.
const BOUNDED_MAX = 10;

/**
 * Compiles a user's regular expression (JavaScript syntax, no flags, as VS Code's
 * `new RegExp(value)`), throwing a TypeError that names the field and quotes the value when
 * it is not a string, does not compile, or nests one unbounded quantifier inside another
 * (`(a+)+`, `(\s*\w+)*`): the shape whose backtracking is exponential in the line's length,
 * which no cap on the line could bound.
 */
export function expectRegExp(field: string, value: unknown): RegExp {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${field} must be a non-empty regular expression string; got ${quote(value)}`);
  }
  let regexp: RegExp;
  try {
    regexp = new RegExp(value);
  } catch (error) {
    throw new TypeError(`${field} is not a valid regular expression: ${(error as Error).message}; got ${quote(value)}`);
  }
  const nested = nestedUnboundedQuantifier(value);
  if (nested !== undefined) {
    throw new TypeError(
      `${field} repeats a group that itself repeats without bound (${quote(nested)}), which can backtrack for ` +
        `minutes on one line; rewrite it so each part of a line can be matched only one way; got ${quote(value)}`,
    );
  }
  return regexp;
}

interface Group {
  start: number;
  /** Whether something inside repeats without bound. */
  unbounded: boolean;
}

/** The first group (as source text) that repeats without bound and contains an unbounded repeat. */
export function nestedUnboundedQuantifier(source: string): string | undefined {
  const stack: Group[] = [{ start: 0, unbounded: false }];
  // The atom a quantifier that follows would apply to: a closed group (with its start) or anything else.
  let last: { group: Group | undefined } | undefined;
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '\\') {
      last = { group: undefined };
      i += 2;
    } else if (ch === '[') {
      i = classEnd(source, i);
      last = { group: undefined };
    } else if (ch === '(') {
      stack.push({ start: i, unbounded: false });
      last = undefined;
      i++;
    } else if (ch === ')') {
      const group = stack.length > 1 ? (stack.pop() as Group) : { start: i, unbounded: false };
      last = { group };
      i++;
      const quantifier = readQuantifier(source, i);
      if (quantifier?.unbounded && group.unbounded) {
        return source.slice(group.start, i + quantifier.length);
      }
      if (quantifier !== undefined) {
        markUnbounded(stack, quantifier.unbounded || group.unbounded);
        i += quantifier.length;
        last = undefined;
      } else {
        markUnbounded(stack, group.unbounded);
      }
    } else {
      const quantifier = last === undefined ? undefined : readQuantifier(source, i);
      if (quantifier !== undefined) {
        markUnbounded(stack, quantifier.unbounded);
        i += quantifier.length;
        last = undefined;
      } else {
        last = ch === '|' || ch === '^' || ch === '$' ? undefined : { group: undefined };
        i++;
      }
    }
  }
  return undefined;
}

function markUnbounded(stack: Group[], unbounded: boolean): void {
  const top = stack[stack.length - 1];
  if (top !== undefined && unbounded) top.unbounded = true;
}

/** Index just past the character class that starts at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

const BRACES = /^\{(\d+)(,(\d*))?\}\??/;

function readQuantifier(source: string, at: number): { length: number; unbounded: boolean } | undefined {
  const ch = source[at];
  if (ch === '*' || ch === '+') return { length: source[at + 1] === '?' ? 2 : 1, unbounded: true };
  if (ch === '?') return { length: source[at + 1] === '?' ? 2 : 1, unbounded: false };
  if (ch !== '{') return undefined;
  const braces = BRACES.exec(source.slice(at, at + 24));
  if (braces === null) return undefined;
  const max = braces[2] === undefined ? Number(braces[1]) : braces[3] === '' ? Infinity : Number(braces[3]);
  return { length: braces[0].length, unbounded: max > BOUNDED_MAX };
}
