import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { exitOf } from '../helpers/index.js';
import { runCli } from './run-cli.js';

// What `npm start` runs: the real TypeScript 5 in --watch mode under `$tsc-watch`, a script
// that edits the sample project once tsc's first cycle ended, a web server and a flaky daemon.
// The run is stopped once the second cycle changed the counts (not after a fixed time, which a
// loaded machine would make flaky); the edited files must be back as they were.

const demo = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const sources = ['greet.ts', 'main.ts'].map((name) => join(demo, 'sample-project', 'src', name));

t.test('the demo: two tsc cycles with different counts, then a clean stop', async (t) => {
  const before = sources.map((file) => readFileSync(file, 'utf8'));
  // Without tap's preload: tsc runs on the pinned Node (.nvmrc), which may be too old to load it.
  const run = runCli(t, ['run', join(demo, 'procwire.config.json'), '--exit-after', '60s'], {
    withoutTapPreload: true,
  });
  t.teardown(() => run.cleanup());
  await run.waitFor(/^tsc\s+\| cycle: 3 errors, 0 warnings in \d+ ms$/);
  await run.waitFor(/^web\s+\| running \(pid \d+\): ready$/);
  await run.waitFor(/^tsc\s+\| cycle: 2 errors, 0 warnings in \d+ ms$/);
  t.ok(run.lines.some((line) => /sample-project\/src\/greet\.ts:2:9 - error TS2322: /.test(line)));
  run.proc.kill('SIGTERM');
  t.same(await exitOf(run.proc), { code: 0, signal: null });
  t.match(run.lines.join('\n'), /\n {2}tsc: stopped \([^)]*\), 0 restarts, 2 errors, 0 warnings\n/);
  t.same(
    sources.map((file) => readFileSync(file, 'utf8')),
    before,
    'the edit script put the sample files back',
  );
});
