// Fails when a source line is longer than 120 characters. The formatter wraps code at 120, but
// it leaves long strings and comments alone; this catches those.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const LIMIT = 120;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'child-sdk'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => /\.(ts|tsx|mts|cts|js|mjs|cjs|css|py)$/.test(file));
const long = [];
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.length > LIMIT) long.push(`${file}:${index + 1}: ${line.length} characters`);
    });
}
if (long.length > 0) {
  console.error(`These lines are longer than ${LIMIT} characters; wrap them:\n${long.join('\n')}`);
  process.exit(1);
}
