// A bare `command: 'tsc'` on Windows, as a user writes it: npm's node_modules/.bin has tsc.cmd
// (written here by npm's own cmd-shim, as npm on Windows does), which procwire runs as the Node
// script it names. The real TypeScript 5 compiles a file with an error, read by `$tsc`. Without
// a node.exe on PATH the spawn fails and says what to do. Then `tsc --watch` through the same
// shim with `$tsc-watch`: a fix clears the error at the next cycle.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor } from '../../../dist/src/index.js';
import { failureOf, scenario, until } from './record.mjs';

const require = createRequire(import.meta.url);
const tsc = fileURLToPath(new URL('../../compilers/node_modules/typescript-5/bin/tsc', import.meta.url));

await scenario(async (record) => {
  // On the drive the compiler is on: a shim holds a path relative to itself.
  const project = join(dirname(process.argv[2]), 'shim-project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'a.ts'), "export const a: number = 'one';\n");
  await require('cmd-shim')(tsc, join(project, 'node_modules', '.bin', 'tsc'));

  const sup = await Supervisor.start();
  const path = `${dirname(process.execPath)};${process.env.PATH ?? ''}`;
  const spec = {
    id: 'tsc',
    command: 'tsc',
    args: ['--noEmit', '--lib', 'es5', '--skipLibCheck', 'a.ts'],
    cwd: project,
    env: { PATH: path },
    connect: 'none',
    readyWhen: 'spawn',
    ports: 'off',
    matchers: ['$tsc'],
    restart: 'never',
  };
  const lines = [];
  const exited = new Promise((resolve) =>
    sup.once('child', (child) => {
      child.on('stdout', (line) => lines.push(line));
      child.once('exit', resolve);
    }),
  );
  const child = await sup.spawn(spec);
  const exit = await exited;
  // A line can still be in the pipe when the exit is seen (docs/MATCHERS.md): it is published
  // as it is read, and a loaded machine shows that.
  await until(() => child.diagnostics.size > 0, 20_000, "tsc's diagnostic");
  const diagnostics = [...child.diagnostics].map(([file, list]) => ({
    file,
    codes: list.map((d) => d.code),
    line: list[0]?.range.start.line,
  }));
  record('compiled', { exit, diagnostics, lines });

  // The same shim in watch mode, as an editor runs it: ready at the first cycle's end; an edit
  // that fixes the error makes a second cycle, which clears the file.
  const watch = await sup.spawn({
    ...spec,
    id: 'tsc-watch',
    args: ['--watch', '--preserveWatchOutput', ...spec.args],
    matchers: ['$tsc-watch'],
    readyWhen: 'cycle',
    readyTimeout: '60s',
  });
  const first = [...watch.diagnostics].map(([file, list]) => ({ file, count: list.length }));
  const second = new Promise((resolve) => watch.on('cycle', (event) => event.phase === 'end' && resolve(event)));
  writeFileSync(join(project, 'a.ts'), 'export const a: number = 1;\n');
  const { errors, files } = await second;
  record('watch', { first, second: { errors, files }, after: watch.diagnostics.size });

  // The PATH without any node.exe: Wine's own directories only.
  record('noNode', await failureOf(sup.spawn({ ...spec, id: 'tsc-no-node', env: { PATH: 'C:\\windows\\system32' } })));
  await sup.shutdown();
});
