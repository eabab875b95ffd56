import t from 'tap';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Every `procwire` command loads the verb table; `ps`, `logs`, `wait` and `--version` should not
// pay for the supervisor (vscode-jsonrpc) or the toolchain resolver (semver), which only `run` and
// `toolchain` use, and load when they run. Counted in the CommonJS cache, where both live.
const dist = fileURLToPath(new URL('../../dist/src/cli/', import.meta.url));
const count = (imports: string): Record<string, number> =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `${imports}
const cache = (await import('node:module')).createRequire(import.meta.url)('node:module')._cache;
const n = (name) => Object.keys(cache).filter((path) => path.includes('/node_modules/' + name + '/')).length;
console.log(JSON.stringify({ jsonrpc: n('vscode-jsonrpc'), semver: n('semver') }));`,
      ],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    ),
  ) as Record<string, number>;

t.test('the verb table and the dispatcher load neither vscode-jsonrpc nor semver', async (t) => {
  t.same(
    count(
      `await import(${JSON.stringify(`${dist}verbs/index.js`)}); await import(${JSON.stringify(`${dist}dispatch.js`)});`,
    ),
    {
      jsonrpc: 0,
      semver: 0,
    },
  );
});

t.test('the count sees them when the supervisor and the resolver are loaded', async (t) => {
  const counts = count(
    `await import(${JSON.stringify(`${dist}../index.js`)}); await import(${JSON.stringify(`${dist}../toolchain/index.js`)});`,
  );
  t.ok(counts.jsonrpc! > 0 && counts.semver! > 0, JSON.stringify(counts));
});
