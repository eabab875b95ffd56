import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The import rules of docs/ARCHITECTURE.md, read from its table, so the page and the check
// cannot drift apart: which folder of src/ (and child-sdk/) may import which, and no cycles.

const root = fileURLToPath(new URL('../', import.meta.url));
const src = join(root, 'src');
const ROOT_FILES = ['supervisor.ts', 'index.ts', 'paths.ts'];
const PROTOCOL = ['protocol', 'protocol/wire', 'protocol/jsonrpc'];

interface Rule {
  any: Set<string>;
  typesOnly: Set<string>;
}

/** A folder (or top-level file) of the table as a layer name: `src/` top-level files are "root". */
function layerName(name: string): string {
  const bare = name.replace(/\/$/, '');
  return ROOT_FILES.includes(bare) ? 'root' : bare;
}

/** The table of "## Layers": first cell the folder(s), last cell what they may import. */
function readRules(): Map<string, Rule> {
  const page = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = page.slice(page.indexOf('## Layers'), page.indexOf('\n## ', page.indexOf('## Layers') + 1));
  const rules = new Map<string, Rule>();
  for (const row of section.split('\n').filter((line) => line.startsWith('| `'))) {
    const cells = row.split('|').slice(1, -1);
    const folders = [...(cells[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => layerName(m[1] as string));
    const rule: Rule = { any: new Set(), typesOnly: new Set() };
    for (const item of (cells[cells.length - 1] ?? '').split(',')) {
      const name = /`([^`]+)`/.exec(item)?.[1];
      if (name === undefined) continue;
      const layers = name === 'protocol' ? PROTOCOL : [layerName(name)];
      for (const layer of layers) (/\(types only\)/.test(item) ? rule.typesOnly : rule.any).add(layer);
    }
    for (const folder of folders) rules.set(folder, rule);
  }
  return rules;
}

function layerOf(file: string): string {
  const fromRoot = relative(root, file).split('/');
  if (fromRoot[0] === 'child-sdk') return 'child-sdk';
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

/** Every relative import of each file: the target file, and whether it is `import type`. */
function importsOf(file: string): { target: string; spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const typeOnly = new Set([...text.matchAll(/import\s+type\s[^;]*?\sfrom\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]));
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(([, spec]) => {
    const target = resolve(dirname(file), (spec as string).replace(/\.js$/, '.ts'));
    return {
      target: statSafe(target) ? target : target.replace(/\.ts$/, '.tsx'),
      spec: spec as string,
      typeOnly: typeOnly.has(spec),
    };
  });
}

function statSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const files = [...sources(src), ...sources(join(root, 'child-sdk'))];

t.test('the table of docs/ARCHITECTURE.md names every folder', async (t) => {
  const rules = readRules();
  t.ok(rules.size >= 15, `the table was read (${rules.size} rows)`);
  const missing = [...new Set(files.map(layerOf))].filter((layer) => !rules.has(layer));
  t.same(missing, [], 'every folder has a row (add one to docs/ARCHITECTURE.md)');
});

t.test('every import of src/ and child-sdk/ follows the table of docs/ARCHITECTURE.md', async (t) => {
  const rules = readRules();
  const broken: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    const rule = rules.get(from);
    if (rule === undefined) continue;
    for (const { target, spec, typeOnly } of importsOf(file)) {
      const to = layerOf(target);
      if (to === from || rule.any.has(to) || (typeOnly && rule.typesOnly.has(to))) continue;
      broken.push(`${relative(root, file)} (${from}) imports ${spec} (${to}${typeOnly ? ', types' : ''})`);
    }
  }
  t.same(broken, [], 'no import goes against the table');
});

t.test('no import cycle between files, type-only imports included', async (t) => {
  const edges = new Map(files.map((file) => [file, importsOf(file).map((i) => i.target)]));
  // Depth-first search; a target still on the stack closes a cycle.
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, stack: string[]): void => {
    state.set(file, 'open');
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(next)), file, next].map((f) => relative(root, f)).join(' -> '));
      } else if (state.get(next) === undefined && edges.has(next)) visit(next, [...stack, file]);
    }
    state.set(file, 'done');
  };
  for (const file of files) if (state.get(file) === undefined) visit(file, []);
  t.same(cycles, [], 'no cycle (move what both sides need into a module of its own)');
});
