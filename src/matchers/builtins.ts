import type { MatcherObject, PatternObject } from './spec-types.js';

// VS Code's own problem patterns and matchers, copied as data (the regexps character for
// character), so a user can paste what they know. Where each came from:
//
// - `tsc`, `$tsc`, `$tsc-watch`: microsoft/vscode, extensions/typescript-language-features/
//   package.json, contributes.problemPatterns and .problemMatchers (commit 52f031fafa72).
// - `eslint-stylish`, `eslint-compact` (patterns) and `$eslint-stylish`, `$eslint-compact`
//   (matchers): microsoft/vscode, src/vs/workbench/contrib/tasks/common/problemMatcher.ts,
//   ProblemPatternRegistryImpl.fillDefaults and ProblemMatcherRegistryImpl.fillDefaults
//   (commit dbc8a32e5aa9).
// - `$gcc`: microsoft/vscode-cpptools, Extension/package.json, contributes.problemMatchers
//   (commit 001b3a5721d2).
//
// Left out of each: `label`, `name` and `applyTo` (open or closed editor documents, which a
// supervisor does not have). `${cwd}` is the child's cwd.

// VS Code's variable for the workspace folder, kept literally so the built-ins read as theirs.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code variable, not a template
const CWD = '${cwd}';

/** Named patterns a custom matcher may use as `pattern: '$name'`. */
export const BUILTIN_PATTERNS: Readonly<Record<string, PatternObject | readonly PatternObject[]>> = {
  tsc: {
    regexp: '^([^\\s].*)[\\(:](\\d+)[,:](\\d+)(?:\\):\\s+|\\s+-\\s+)(error|warning|info)\\s+TS(\\d+)\\s*:\\s*(.*)$',
    file: 1,
    line: 2,
    column: 3,
    severity: 4,
    code: 5,
    message: 6,
  },
  'eslint-compact': {
    regexp: '^(.+):\\sline\\s(\\d+),\\scol\\s(\\d+),\\s(Error|Warning|Info)\\s-\\s(.+)\\s\\((.+)\\)$',
    file: 1,
    kind: 'location',
    line: 2,
    column: 3,
    severity: 4,
    message: 5,
    code: 6,
  },
  'eslint-stylish': [
    { regexp: '^((?:[a-zA-Z]:)*[./\\\\]+.*?)$', kind: 'location', file: 1 },
    {
      regexp: '^\\s+(\\d+):(\\d+)\\s+(error|warning|info)\\s+(.+?)(?:\\s\\s+(.*))?$',
      line: 1,
      column: 2,
      severity: 3,
      message: 4,
      code: 5,
      loop: true,
    },
  ],
};

const TSC_TIME = '\\[?\\D*.{1,2}[:.].{1,2}[:.].{1,2}\\D*(├\\D*\\d{1,2}\\D+┤)?(?:\\]| -)';

/** Named matchers: `matchers: ['$tsc-watch']`. */
export const BUILTIN_MATCHERS: Readonly<Record<string, MatcherObject>> = {
  tsc: { owner: 'typescript', source: 'ts', fileLocation: ['relative', CWD], pattern: '$tsc' },
  'tsc-watch': {
    owner: 'typescript',
    source: 'ts',
    fileLocation: ['relative', CWD],
    pattern: '$tsc',
    background: {
      activeOnStart: true,
      beginsPattern: {
        regexp:
          `^\\s*(?:message TS6032:|${TSC_TIME}) ` +
          '(Starting compilation in watch mode|File change detected\\. Starting incremental compilation)\\.\\.\\.',
      },
      endsPattern: {
        regexp:
          `^\\s*(?:message TS6042:|${TSC_TIME}) ` +
          '(?:Compilation complete\\.|Found \\d+ errors?\\.) Watching for file changes\\.',
      },
    },
  },
  gcc: {
    owner: 'cpptools',
    source: 'gcc',
    fileLocation: ['autoDetect', CWD],
    pattern: {
      regexp: '^(.*?):(\\d+):(\\d*):?\\s+(?:fatal\\s+)?(warning|error):\\s+(.*)$',
      file: 1,
      line: 2,
      column: 3,
      severity: 4,
      message: 5,
    },
  },
  'eslint-compact': { owner: 'eslint', source: 'eslint', fileLocation: 'absolute', pattern: '$eslint-compact' },
  'eslint-stylish': { owner: 'eslint', source: 'eslint', fileLocation: 'absolute', pattern: '$eslint-stylish' },
};

/**
 * Not VS Code's: how a built-in's end line states the tool's own error count (group 1). tsc counts
 * errors that name no file (TS6053 "File not found", TS18003 "No inputs were found"), which no
 * pattern can file, in "Found 1 error. Watching for file changes." (see WatchCycles).
 */
export const BUILTIN_ERROR_COUNTS: Readonly<Record<string, RegExp>> = {
  'tsc-watch': /\bFound (\d+) errors?\./,
};
