import t from 'tap';
import { parseMatchers, type ResolvedMatcher } from '../../src/matchers/index.js';

// The built-ins must be VS Code's own, character for character. The expected texts below are
// pasted from the sources (JSON strings from package.json files, regexp literals from
// problemMatcher.ts), not retyped, so a slip in src/matchers/builtins.ts shows here.

const json = (text: string): string => JSON.parse(text) as string;
const only = (name: string): ResolvedMatcher => parseMatchers('m', [name])[0] as ResolvedMatcher;
const sources = (name: string): string[] => only(name).patterns.map((p) => p.regexp.source);

t.test('$tsc and $tsc-watch: microsoft/vscode extensions/typescript-language-features/package.json', async (t) => {
  const tsc = json(
    String.raw`"^([^\\s].*)[\\(:](\\d+)[,:](\\d+)(?:\\):\\s+|\\s+-\\s+)(error|warning|info)\\s+TS(\\d+)\\s*:\\s*(.*)$"`,
  );
  t.same(sources('$tsc'), [new RegExp(tsc).source]);
  t.same(sources('$tsc-watch'), [new RegExp(tsc).source]);
  const watch = only('$tsc-watch');
  t.match(watch, { owner: 'typescript', source: 'ts', fileLocation: { kind: 'relative', base: undefined } });
  t.equal(
    watch.background?.begins.regexp.source,
    new RegExp(
      json(
        String.raw`"^\\s*(?:message TS6032:|\\[?\\D*.{1,2}[:.].{1,2}[:.].{1,2}\\D*(├\\D*\\d{1,2}\\D+┤)?(?:\\]| -)) (Starting compilation in watch mode|File change detected\\. Starting incremental compilation)\\.\\.\\."`,
      ),
    ).source,
  );
  t.equal(
    watch.background?.ends.regexp.source,
    new RegExp(
      json(
        String.raw`"^\\s*(?:message TS6042:|\\[?\\D*.{1,2}[:.].{1,2}[:.].{1,2}\\D*(├\\D*\\d{1,2}\\D+┤)?(?:\\]| -)) (?:Compilation complete\\.|Found \\d+ errors?\\.) Watching for file changes\\."`,
      ),
    ).source,
  );
  t.equal(watch.background?.activeOnStart, true);
});

t.test('$gcc: microsoft/vscode-cpptools Extension/package.json', async (t) => {
  t.same(sources('$gcc'), [
    new RegExp(json(String.raw`"^(.*?):(\\d+):(\\d*):?\\s+(?:fatal\\s+)?(warning|error):\\s+(.*)$"`)).source,
  ]);
  t.match(only('$gcc'), { owner: 'cpptools', source: 'gcc', fileLocation: { kind: 'autoDetect' } });
});

t.test('$eslint-stylish and $eslint-compact: microsoft/vscode problemMatcher.ts', async (t) => {
  t.same(sources('$eslint-stylish'), [
    /^((?:[a-zA-Z]:)*[./\\]+.*?)$/.source,
    /^\s+(\d+):(\d+)\s+(error|warning|info)\s+(.+?)(?:\s\s+(.*))?$/.source,
  ]);
  t.equal(only('$eslint-stylish').patterns[1]?.loop, true);
  t.same(sources('$eslint-compact'), [
    /^(.+):\sline\s(\d+),\scol\s(\d+),\s(Error|Warning|Info)\s-\s(.+)\s\((.+)\)$/.source,
  ]);
  t.match(only('$eslint-compact'), { owner: 'eslint', source: 'eslint', fileLocation: { kind: 'absolute' } });
});
