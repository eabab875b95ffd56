import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, nodeSpec, startSupervisor } from '../helpers/index.js';

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

// What vscode-jsonrpc's code leaves in a bundle: esbuild's note of each module's path, and the
// cancellation method, a string no minifier removes.
const jsonrpcMarks = ['node_modules/vscode-jsonrpc/', '$/cancelRequest'];
const marksIn = (file: string): string[] => {
  const text = readFileSync(join(root, 'dist', file), 'utf8');
  return jsonrpcMarks.filter((mark) => text.includes(mark));
};

t.test("the built SDK's start files carry no vscode-jsonrpc code; the deferred part carries it", async (t) => {
  for (const file of ['child.cjs', 'child.mjs', 'child-wire.cjs', 'child-wire.mjs', 'register.cjs']) {
    t.same(marksIn(file), [], `dist/${file} has none of vscode-jsonrpc`);
  }
  for (const file of ['child-rpc.cjs', 'child-rpc.mjs']) {
    t.same(marksIn(file), jsonrpcMarks, `dist/${file} has vscode-jsonrpc (so the marks are the right ones)`);
  }
});

t.test(
  'a child on the built SDK loads its deferred part only after ready, and has it to serve a request',
  async (t) => {
    const sup = await startSupervisor(t);
    const lines: string[] = [];
    sup.on('child', (child) => child.on('stdout', (line) => lines.push(line)));
    const child = await sup.spawn(nodeSpec('parts', 'counts-loaded-sdk-parts.cjs'));
    const served = await child.sendRequest<string>('parts');
    const start = 'child-wire.cjs child.cjs';
    t.same(
      lines,
      [`connect: ${start}`, `reports: ${start}`, `ready: ${start}`],
      'two small files until ready was sent',
    );
    t.equal(served, 'child-rpc.cjs child-wire.cjs child.cjs', 'the JSON-RPC part is loaded to serve the request');
  },
);
