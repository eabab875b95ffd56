// The payload every transport in diagnostics.mjs carries: 1,000 files of 100 LSP-shaped
// diagnostics each, all distinct, so no transport gets to send a repeated string cheaply.
const FILES = 1000;
const PER_FILE = 100;

function makeFiles() {
  return Array.from({ length: FILES }, (_, f) => ({
    file: `/work/project/src/module-${f}/component-${f}.ts`,
    diagnostics: Array.from({ length: PER_FILE }, (_, i) => ({
      range: { start: { line: i, character: 4 }, end: { line: i, character: 17 } },
      severity: 1,
      code: 'TS2322',
      source: 'tsc',
      message: `Type 'number' is not assignable to type 'string'. (${f}:${i})`,
    })),
  }));
}

module.exports = { FILES, PER_FILE, makeFiles };
