import { quote } from '../options/duration.js';
import { expectBoolean, expectInteger, expectObject, expectOneOf, rejectUnknownKeys } from '../options/fields.js';
import { expectRegExp } from '../options/regexp.js';

/** A pattern ready to run: its regexp and the group index of each property. */
export interface CompiledPattern {
  regexp: RegExp;
  kind: 'location' | 'file' | undefined;
  file: number | undefined;
  location: number | undefined;
  line: number | undefined;
  character: number | undefined;
  endLine: number | undefined;
  endCharacter: number | undefined;
  severity: number | undefined;
  code: number | undefined;
  message: number | undefined;
  loop: boolean;
}

const GROUP_KEYS = [
  'file',
  'location',
  'line',
  'column',
  'endLine',
  'endColumn',
  'severity',
  'code',
  'message',
] as const;
const PATTERN_KEYS = ['regexp', 'kind', ...GROUP_KEYS, 'loop'] as const;

/**
 * Validates one pattern or several (matched on consecutive lines) as VS Code's
 * ProblemPatternParser does: a single pattern gets the default groups (file 1, line 2,
 * column 3, message 0 — the whole match — or file 1, message 0 with `location` or kind
 * 'file') for those it does not name, where its regexp has such a group that no named field
 * takes (see applyDefaults); several get none. Throws a TypeError naming the field when a
 * regexp does not compile, a group index is not one of the regexp's groups, `kind` is not on the first
 * pattern, `loop` is not on the last, or the patterns together lack a file, a message, or
 * (for kind 'location') a line or location.
 */
export function parsePatterns(field: string, value: unknown): CompiledPattern[] {
  const single = !Array.isArray(value);
  const list = single ? [value] : (value as unknown[]);
  if (list.length === 0) throw new TypeError(`${field} must have at least one pattern; got []`);
  const patterns = list.map((item, i) => parseOne(single ? field : `${field}[${i}]`, item, i, list.length));
  const first = patterns[0] as CompiledPattern;
  first.kind ??= 'location';
  if (single) applyDefaults(first);
  const has = (key: keyof CompiledPattern): boolean => patterns.some((p) => p[key] !== undefined);
  if (!has('file')) throw new TypeError(`${field} must have a file group (file); got ${quote(value)}`);
  if (!has('message')) throw new TypeError(`${field} must have a message group (message); got ${quote(value)}`);
  if (first.kind === 'location' && !has('line') && !has('location')) {
    throw new TypeError(`${field} must have a line or location group, or kind 'file'; got ${quote(value)}`);
  }
  return patterns;
}

function parseOne(field: string, value: unknown, index: number, count: number): CompiledPattern {
  const pattern = expectObject(field, value);
  rejectUnknownKeys(field, pattern, PATTERN_KEYS);
  const regexp = expectRegExp(`${field}.regexp`, pattern.regexp);
  const groups = groupCount(regexp);
  const group = (key: (typeof GROUP_KEYS)[number]): number | undefined => {
    const at = pattern[key];
    if (at === undefined) return undefined;
    return expectInteger(`${field}.${key} (a group of ${quote(pattern.regexp)})`, at, 0, groups);
  };
  if (pattern.kind !== undefined && index > 0) {
    throw new TypeError(`${field}.kind is allowed on the first pattern only; got ${quote(pattern.kind)}`);
  }
  const loop = pattern.loop === undefined ? false : expectBoolean(`${field}.loop`, pattern.loop);
  if (loop && (index !== count - 1 || count === 1)) {
    throw new TypeError(`${field}.loop is allowed on the last of several patterns only; got true`);
  }
  return {
    regexp,
    kind:
      pattern.kind === undefined
        ? undefined
        : expectOneOf(`${field}.kind`, pattern.kind, ['location', 'file'] as const),
    file: group('file'),
    location: group('location'),
    line: group('line'),
    character: group('column'),
    endLine: group('endLine'),
    endCharacter: group('endColumn'),
    severity: group('severity'),
    code: group('code'),
    message: group('message'),
    loop,
  };
}

/** The fields of a pattern that name a group. */
type GroupField = Exclude<keyof CompiledPattern, 'regexp' | 'kind' | 'loop'>;
const GROUP_FIELDS: readonly GroupField[] = [
  'file',
  'location',
  'line',
  'character',
  'endLine',
  'endCharacter',
  'severity',
  'code',
  'message',
];

/**
 * VS Code fills each group a single pattern does not name with its default, whatever the
 * regexp: `^(\S+):(\d+): (.*)$` with file 1, line 2, message 3 would read its message as the
 * column, and `^(\S+): (.*)$` with file 1, message 2 its message as the line, so that no line
 * ever makes a problem. Here a default is taken only when the regexp has that group and no
 * named field uses it; what is then missing is refused at spawn (parsePatterns) instead.
 */
function applyDefaults(pattern: CompiledPattern): void {
  const groups = groupCount(pattern.regexp);
  const used = new Set(GROUP_FIELDS.map((field) => pattern[field]).filter((at) => at !== undefined));
  const take = (field: GroupField, at: number): void => {
    if (pattern[field] !== undefined || at > groups || (at > 0 && used.has(at))) return;
    pattern[field] = at;
    used.add(at);
  };
  take('file', 1);
  take('message', 0);
  if (pattern.location === undefined && pattern.kind !== 'file') {
    take('line', 2);
    take('character', 3);
  }
}

/** How many capturing groups `regexp` has (an alternative that matches '' makes it match). */
function groupCount(regexp: RegExp): number {
  return (new RegExp(`${regexp.source}|`).exec('') as RegExpExecArray).length - 1;
}
