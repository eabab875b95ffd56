// Plays the developer while `tsc --watch` runs: a moment after starting (procwire starts it
// once tsc's first cycle ended: dependsOn { tsc: 'cycle' } in the config), it fixes both
// errors in greet.ts and makes a new one in main.ts, so tsc's next cycle clears greet.ts and
// changes the counts. On SIGTERM (the run's
// shutdown) it puts the files back as they are in git; a run killed before that is repaired
// at the next start.
const fs = require('node:fs');
const path = require('node:path');

const src = path.join(__dirname, '../sample-project/src');
const edits = [
  { file: 'greet.ts', from: "const width: number = 'wide';", to: 'const width: number = 24;' },
  { file: 'greet.ts', from: '.toUpperCase(1);', to: '.toUpperCase();' },
  { file: 'main.ts', from: "const name = 'world';", to: 'const name: string = 42;' },
];

function apply(forward) {
  const texts = new Map();
  for (const { file, from, to } of edits) {
    const text = texts.get(file) ?? fs.readFileSync(path.join(src, file), 'utf8');
    texts.set(file, forward ? text.replace(from, to) : text.replace(to, from));
  }
  for (const [file, text] of texts) {
    // Unchanged files are not written: tsc would start a cycle for nothing.
    if (fs.readFileSync(path.join(src, file), 'utf8') !== text) fs.writeFileSync(path.join(src, file), text);
  }
}

apply(false);
const timer = setTimeout(() => {
  console.log('editing greet.ts (fixing both errors) and main.ts (a new error)');
  apply(true);
}, 800);
process.on('SIGTERM', () => {
  clearTimeout(timer);
  apply(false);
  process.exit(0);
});
setInterval(() => {}, 1 << 30);
