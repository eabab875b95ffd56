import t from 'tap';
import type { Diagnostic } from '../../src/index.js';
import { DiagnosticSets } from '../../src/matchers/diagnostic-sets.js';

// The engine skips a recalled problem while DiagnosticSets.generation stays the same, so it
// must change whenever a problem added before may no longer be held.

const problem = (line: number): Diagnostic => ({
  range: { start: { line, character: 0 }, end: { line, character: 0 } },
  severity: 1,
  message: `m${line}`,
});

t.test('generation: the same across adds and flushes, new at every cycle boundary and refusal', async (t) => {
  let refuse = false;
  const published: string[] = [];
  const sets = new DiagnosticSets((file, list) => {
    published.push(`${file} ${list.length}`);
    return !(refuse && list.length > 0);
  });
  const start = sets.generation;
  sets.add('o', '/a.ts', problem(1));
  sets.add('o', '/a.ts', problem(2));
  sets.flush();
  t.equal(sets.generation, start, 'adds and a flush keep it');
  sets.beginCycle('o');
  const begun = sets.generation;
  t.not(begun, start, 'a cycle begins');
  sets.add('o', '/a.ts', problem(1));
  sets.endCycle('o');
  const ended = sets.generation;
  t.not(ended, begun, 'a cycle ends');
  refuse = true;
  sets.add('o', '/b.ts', problem(3));
  sets.flush();
  t.not(sets.generation, ended, 'a set was refused, so /b.ts was dropped');
  t.same(published.slice(-2), ['/b.ts 1', '/b.ts 0'], 'refused, then cleared');
});

t.test("a file two owners report is published as both owners' problems, then as one's", async (t) => {
  const published: Diagnostic[][] = [];
  const sets = new DiagnosticSets((_file, list) => {
    published.push(list);
    return true;
  });
  sets.add('tsc', '/a.ts', problem(1));
  sets.add('eslint', '/a.ts', problem(2));
  sets.flush();
  t.same(
    published.at(-1)?.map((d) => d.message),
    ['m1', 'm2'],
    'merged over owners',
  );
  sets.beginCycle('eslint');
  sets.endCycle('eslint');
  t.same(
    published.at(-1)?.map((d) => d.message),
    ['m1'],
    "eslint's cycle cleared its own only",
  );
});
