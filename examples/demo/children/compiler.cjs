// A "pinned compiler" under procwire: checks a sample project with a toy rule set, publishes
// LSP-shaped diagnostics (0-based positions) per file, and serves 'build' requests.
const fs = require('node:fs');
const path = require('node:path');
const { connect } = require('../../../dist/child.cjs');

const projectDir = path.resolve(process.argv[2] ?? path.join(__dirname, '../sample-project'));
const files = ['src/main.ts', 'src/greet.ts'].map((file) => path.join(projectDir, file));

// The "type checker": one error rule and one warning rule, line by line.
const rules = [
  {
    pattern: /: number = "/,
    severity: 1,
    code: 'TS2322',
    message: () => "Type 'string' is not assignable to type 'number'.",
  },
  {
    pattern: /(?<=\b(?:const|let) )unused\w*/,
    severity: 2,
    code: 'TS6133',
    message: (m) => `'${m[0]}' is declared but its value is never read.`,
  },
];

function check(file) {
  const diagnostics = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      for (const rule of rules) {
        const match = rule.pattern.exec(text);
        if (!match) continue;
        const range = {
          start: { line, character: match.index },
          end: { line, character: match.index + match[0].length },
        };
        diagnostics.push({
          range,
          severity: rule.severity,
          code: rule.code,
          source: 'tsc',
          message: rule.message(match),
        });
      }
    });
  return diagnostics;
}

// Checks every file, replaces the parent's diagnostics for each, and counts them.
async function build(parent) {
  const summary = { errors: 0, warnings: 0 };
  for (const file of files) {
    const diagnostics = check(file);
    await parent.publishDiagnostics(file, diagnostics);
    summary.errors += diagnostics.filter((d) => d.severity === 1).length;
    summary.warnings += diagnostics.filter((d) => d.severity === 2).length;
  }
  return summary;
}

async function main() {
  const parent = await connect();
  const { errors, warnings } = await build(parent);
  await parent.log(
    'info',
    `checked ${files.length} files in ${projectDir}: ${errors} error(s), ${warnings} warning(s)`,
  );

  parent.onRequest('build', async () => {
    const summary = await build(parent);
    await parent.log('info', `build done: ${summary.errors} error(s), ${summary.warnings} warning(s)`);
    return summary;
  });
  await parent.ready();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
