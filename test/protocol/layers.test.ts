import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, startSupervisor } from '../helpers/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

t.test('no module of the wire layer imports vscode-jsonrpc or the JSON-RPC layer', async (t) => {
  const dir = join(root, 'src/protocol/wire');
  const offenders = readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
      return imports
        .filter((spec) => spec.includes('vscode-jsonrpc') || spec.includes('jsonrpc/'))
        .map((spec) => `${file}: ${spec}`);
    });
  t.same(offenders, []);
});

t.test(
  "the child SDK's start path (connect, hello, reports, ready) loads no module of vscode-jsonrpc; serving a request does",
  async (t) => {
    const sup = await startSupervisor(t);
    const lines: string[] = [];
    sup.on('child', (child) => child.on('stdout', (line) => lines.push(line)));
    // From source, so that modules are separate files the loader can count.
    const child = await sup.spawn({
      id: 'counts',
      command: 'env',
      args: ['-u', 'NODE_OPTIONS', process.execPath, '--import', 'tsx', fixture('counts-jsonrpc-modules.ts')],
      cwd: root,
    });
    const served = await child.sendRequest<number>('loaded');
    t.same(lines, ['wire 0', 'connect 0', 'reports 0', 'ready 0'], 'nothing of vscode-jsonrpc until ready was sent');
    t.ok(served > 0, `the count sees vscode-jsonrpc once it is loaded (${served} modules)`);
  },
);
