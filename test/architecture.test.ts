import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The import rules of docs/ARCHITECTURE.md, checked: which folder of src/ may import which.
// A module's folder is its path under src/ up to the layer (protocol/wire, protocol/jsonrpc,
// child, …); the top-level files (supervisor.ts, index.ts, paths.ts) are "root".

const src = fileURLToPath(new URL('../src/', import.meta.url));
const PROTOCOL = ['protocol/wire', 'protocol/jsonrpc', 'protocol'];
const ROOMS = ['matchers', 'discover', 'probe', 'toolchain', 'depends'];
const ALLOWED: Record<string, string[]> = {
  'protocol/wire': [],
  'protocol/jsonrpc': ['protocol/wire'],
  protocol: ['protocol/wire', 'protocol/jsonrpc'],
  options: [],
  terminate: ['options', ...PROTOCOL],
  restart: ['options', 'terminate', ...PROTOCOL],
  endpoint: ['options', ...PROTOCOL],
  ...Object.fromEntries(ROOMS.map((room) => [room, ['options', ...PROTOCOL]])),
  child: ['options', 'endpoint', 'restart', 'terminate', ...ROOMS, ...PROTOCOL],
  pool: ['child', 'options', ...PROTOCOL],
  root: ['child', 'pool', 'endpoint', 'options', 'restart', 'terminate', 'control', ...ROOMS, ...PROTOCOL],
  control: ['root', 'child', 'pool', 'options', ...ROOMS, ...PROTOCOL],
  cli: ['root', 'control', 'child', 'pool', 'terminate', 'options', ...ROOMS, ...PROTOCOL],
  ui: [],
};
// Imports erased at build time (`import type`): the page shares the control API's JSON types
// and nothing else of src/.
const TYPE_ONLY: Record<string, string[]> = { ui: ['control'] };

function layerOf(file: string): string {
  const parts = relative(src, file).split('/');
  if (parts.length === 1) return 'root';
  if (parts[0] === 'protocol') return parts.length === 2 ? 'protocol' : `protocol/${parts[1]}`;
  return parts[0] as string;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

t.test('every import of src/ follows the layer rules of docs/ARCHITECTURE.md', async (t) => {
  const broken: string[] = [];
  const unknown = new Set<string>();
  for (const file of sources(src)) {
    const from = layerOf(file);
    const allowed = ALLOWED[from];
    if (allowed === undefined) {
      unknown.add(from);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const typeOnly = new Set([...text.matchAll(/import\s+type\s[^;]*?\sfrom\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]));
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const to = layerOf(resolve(dirname(file), spec as string));
      if (typeOnly.has(spec) && TYPE_ONLY[from]?.includes(to)) continue;
      if (to !== from && !allowed.includes(to)) broken.push(`${relative(src, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  t.same([...unknown], [], 'every folder of src/ has a row in the rules (add one, and to docs/ARCHITECTURE.md)');
  t.same(broken, [], 'no import goes against the rules');
});
