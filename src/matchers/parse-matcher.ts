import { quote } from '../options/duration.js';
import { expectBoolean, expectObject, expectOneOf, expectString, rejectUnknownKeys } from '../options/fields.js';
import { expectRegExp } from '../options/regexp.js';
import { BUILTIN_ERROR_COUNTS, BUILTIN_MATCHERS, BUILTIN_PATTERNS } from './builtins.js';
import { parsePatterns, type CompiledPattern } from './parse-pattern.js';
import type { MatcherObject } from './spec-types.js';

/** Where a matched file name is looked for. */
export interface FileLocation {
  kind: 'relative' | 'absolute' | 'autoDetect';
  /** The base of relative names; undefined for the child's cwd. */
  base: string | undefined;
}

/** The start or end of a watch cycle. */
export interface WatchPattern {
  regexp: RegExp;
  /** The group naming the one file a cycle concerns (VS Code's default is 1). */
  file: number;
}

/** A matcher ready to run. */
export interface ResolvedMatcher {
  /** `$tsc-watch`, or `matchers[i]` for a custom one: for messages. */
  name: string;
  owner: string;
  source: string;
  /** LSP severity for a problem whose pattern gives none it knows. */
  severity: 1 | 2 | 3;
  fileLocation: FileLocation;
  patterns: CompiledPattern[];
  background:
    | {
        activeOnStart: boolean;
        begins: WatchPattern;
        ends: WatchPattern;
        /** Reads the tool's own error count (group 1) from an end line; built-in `$tsc-watch` only. */
        errorCount?: RegExp;
      }
    | undefined;
  /** Built-ins are trusted; a custom matcher's regexps are timed (see matcher-engine.ts). */
  custom: boolean;
}

const MATCHER_KEYS = [
  'base',
  'owner',
  'source',
  'severity',
  'fileLocation',
  'pattern',
  'background',
  'applyTo',
] as const;
// VS Code's applyTo picks the editor documents (open, closed) whose problems are shown; a
// supervisor has none, so it is checked, to catch a typo, and ignored.
const APPLY_TO = ['allDocuments', 'openDocuments', 'closedDocuments'] as const;
const BACKGROUND_KEYS = ['activeOnStart', 'beginsPattern', 'endsPattern'] as const;
const SEVERITIES = { error: 1, warning: 2, info: 3 } as const;

/**
 * Validates `spec.matchers` up front: each entry a built-in's name (`'$tsc'`, `'$tsc-watch'`,
 * `'$gcc'`, `'$eslint-stylish'`, `'$eslint-compact'`) or a matcher object in VS Code's shape.
 * Throws a TypeError naming the field and quoting the value: an unknown name lists the known
 * ones; bad regexps, groups, keys and values are named where they are.
 */
export function parseMatchers(field: string, value: unknown): ResolvedMatcher[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${field} must be an array of matcher names ('$tsc') or matcher objects; got ${quote(value)}`);
  }
  return value.map((entry, i) => parseMatcher(`${field}[${i}]`, entry, `matchers[${i}]`));
}

function parseMatcher(field: string, value: unknown, defaultOwner: string): ResolvedMatcher {
  if (typeof value === 'string') {
    const resolved = resolveObject(field, builtinMatcher(field, value), defaultOwner);
    return { ...withErrorCount(value, resolved), name: value, custom: false };
  }
  const matcher = expectObject(field, value);
  rejectUnknownKeys(field, matcher, MATCHER_KEYS);
  if (matcher.applyTo !== undefined) expectOneOf(`${field}.applyTo`, matcher.applyTo, APPLY_TO);
  if (matcher.base === undefined)
    return { ...resolveObject(field, matcher, defaultOwner), name: defaultOwner, custom: true };
  // As VS Code's `base`: the named built-in, with what the object gives in place of its keys.
  const { base, ...own } = matcher;
  const builtin = builtinMatcher(`${field}.base`, base);
  const resolved = resolveObject(field, { ...builtin, ...own }, defaultOwner);
  // Only the regexps the object brings are the user's (timed); a built-in's own are trusted.
  const custom = 'pattern' in own || 'background' in own;
  return { ...(custom ? resolved : withErrorCount(base as string, resolved)), name: defaultOwner, custom };
}

/** A built-in's background with how its end line states the tool's error count, if it has one. */
function withErrorCount<T extends Pick<ResolvedMatcher, 'background'>>(name: string, matcher: T): T {
  const key = name.slice(1);
  const errorCount = Object.hasOwn(BUILTIN_ERROR_COUNTS, key) ? BUILTIN_ERROR_COUNTS[key] : undefined;
  if (errorCount === undefined || matcher.background === undefined) return matcher;
  return { ...matcher, background: { ...matcher.background, errorCount } };
}

function builtinMatcher(field: string, value: unknown): MatcherObject {
  const name = typeof value === 'string' && value.startsWith('$') ? value.slice(1) : '';
  const builtin = Object.hasOwn(BUILTIN_MATCHERS, name) ? BUILTIN_MATCHERS[name] : undefined;
  if (builtin === undefined) {
    const known = Object.keys(BUILTIN_MATCHERS).map((name) => `'$${name}'`);
    throw new TypeError(`${field} is not a built-in matcher; known: ${known.join(', ')}; got ${quote(value)}`);
  }
  return builtin;
}

function resolveObject(field: string, value: unknown, defaultOwner: string): Omit<ResolvedMatcher, 'name' | 'custom'> {
  const matcher = expectObject(field, value);
  rejectUnknownKeys(field, matcher, MATCHER_KEYS);
  const owner = matcher.owner === undefined ? defaultOwner : expectString(`${field}.owner`, matcher.owner);
  const severity = expectOneOf(`${field}.severity`, matcher.severity ?? 'error', ['error', 'warning', 'info'] as const);
  return {
    owner,
    source: matcher.source === undefined ? owner : expectString(`${field}.source`, matcher.source),
    severity: SEVERITIES[severity],
    fileLocation: parseFileLocation(`${field}.fileLocation`, matcher.fileLocation),
    patterns: parsePatterns(`${field}.pattern`, namedPattern(`${field}.pattern`, matcher.pattern)),
    background:
      matcher.background === undefined ? undefined : parseBackground(`${field}.background`, matcher.background),
  };
}

function namedPattern(field: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const name = value.startsWith('$') ? value.slice(1) : '';
  if (!Object.hasOwn(BUILTIN_PATTERNS, name)) {
    const known = Object.keys(BUILTIN_PATTERNS).map((n) => `'$${n}'`);
    throw new TypeError(`${field} is not a built-in pattern; known: ${known.join(', ')}; got ${quote(value)}`);
  }
  return BUILTIN_PATTERNS[name];
}

function parseFileLocation(field: string, value: unknown): FileLocation {
  if (value === undefined) return { kind: 'relative', base: undefined };
  const [kindValue, base, ...rest] = Array.isArray(value) ? value : [value];
  // VS Code reads the kind case-insensitively ('autodetect' and 'autoDetect' both occur).
  const kinds = { relative: 'relative', absolute: 'absolute', autodetect: 'autoDetect' } as const;
  const kind = typeof kindValue === 'string' ? kinds[kindValue.toLowerCase() as keyof typeof kinds] : undefined;
  const wrongBase = kind === 'absolute' ? base !== undefined : base !== undefined && typeof base !== 'string';
  if (kind === undefined || wrongBase || rest.length > 0) {
    throw new TypeError(
      `${field} must be 'relative', 'absolute', 'autoDetect', ['relative' | 'autoDetect', baseDir] or ` +
        `['absolute']; got ${quote(value)}`,
    );
  }
  return { kind, base: base === undefined ? undefined : substituteFolder(`${field}[1]`, base as string) };
}

// VS Code's variables for the folder a task runs in. A matcher pasted from a tasks.json names its
// base with one (`["relative", "${workspaceFolder}"]`); here that folder is the child's cwd.
// biome-ignore lint/suspicious/noTemplateCurlyInString: these are VS Code's variable names, not templates
const FOLDER_VARIABLES = ['${workspaceFolder}', '${workspaceRoot}', '${cwd}'];

/**
 * A base directory with a leading folder variable replaced: undefined for the child's cwd
 * itself, else a path relative to it (or absolute). Any other `${…}` is VS Code's to fill in,
 * which procwire cannot do, so it is refused rather than joined as a folder name.
 */
function substituteFolder(field: string, base: string): string | undefined {
  const variable = FOLDER_VARIABLES.find((name) => base === name || base.startsWith(`${name}/`));
  const rest = variable === undefined ? base : base.slice(variable.length + 1);
  const unknown = /\$\{[^}]*\}/.exec(rest);
  if (unknown !== null) {
    throw new TypeError(
      `${field} uses ${unknown[0]}, which only VS Code can fill in; procwire knows \${workspaceFolder}, ` +
        `\${workspaceRoot} and \${cwd} (the child's cwd) at its start; give a path relative to the ` +
        `child's cwd instead; got ${quote(base)}`,
    );
  }
  return rest === '' ? undefined : rest;
}

function parseBackground(field: string, value: unknown): NonNullable<ResolvedMatcher['background']> {
  const background = expectObject(field, value);
  rejectUnknownKeys(field, background, BACKGROUND_KEYS);
  return {
    activeOnStart:
      background.activeOnStart === undefined
        ? false
        : expectBoolean(`${field}.activeOnStart`, background.activeOnStart),
    begins: parseWatchPattern(`${field}.beginsPattern`, background.beginsPattern),
    ends: parseWatchPattern(`${field}.endsPattern`, background.endsPattern),
  };
}

function parseWatchPattern(field: string, value: unknown): WatchPattern {
  if (value === undefined) throw new TypeError(`${field} is required: a regexp string, or { regexp, file }`);
  if (typeof value === 'string') return { regexp: expectRegExp(field, value), file: 1 };
  const pattern = expectObject(field, value);
  rejectUnknownKeys(field, pattern, ['regexp', 'file']);
  const regexp = expectRegExp(`${field}.regexp`, pattern.regexp);
  const file = pattern.file === undefined ? 1 : pattern.file;
  if (typeof file !== 'number' || !Number.isInteger(file) || file < 1) {
    throw new TypeError(`${field}.file must be a group index of at least 1; got ${quote(pattern.file)}`);
  }
  return { regexp, file };
}
