// Builds what the package ships: the parent library and declarations with tsc, and the
// child SDK as one dependency-free bundle (CommonJS for any Node >= 16, and ESM) with esbuild.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildCli } from './build-cli.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

rmSync(`${root}/dist`, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(dirname(require.resolve('typescript/package.json')), 'bin/tsc'), '-p', `${root}/tsconfig.build.json`],
  {
    stdio: 'inherit',
  },
);

// vscode-jsonrpc requires node:crypto at load time for random pipe names and UUIDs, which a
// child never uses; loading it costs ~2 ms of every child's start. Give it a stand-in that
// loads the real module on first use.
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(build) {
    build.onResolve({ filter: /^crypto$/ }, (args) =>
      args.importer.includes('vscode-jsonrpc') ? { path: 'lazy-crypto', namespace: 'procwire' } : undefined,
    );
    build.onLoad({ filter: /^lazy-crypto$/, namespace: 'procwire' }, () => ({
      contents:
        "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:crypto'))[key] });",
      loader: 'js',
    }));
  },
};

// The child SDK ships in three parts per format, so that a child's start parses only what it
// runs before ready (a child's start is on the clock):
//   child.{cjs,mjs}       the entry: connect, hello, ready, reports (register.cjs: the preload's);
//   child-wire.{cjs,mjs}  the wire layer, loaded with the entry and shared by it and child-rpc;
//   child-rpc.{cjs,mjs}   vscode-jsonrpc and request handling, loaded after ready.
// The parts require each other by static relative paths: Node resolves them beside the requiring
// file, wherever the package is installed or whichever path (childSdkPath) a child is given.
// One wire part, not a copy in each, so that classes keep one identity (`instanceof
// ProcwireError`, NoHandlerError across the handler table and the JSON-RPC layer).
const wireDir = join(root, 'src', 'protocol', 'wire');
const rpcLink = join(root, 'child-sdk', 'rpc-link.ts');

/** Resolves imports of the wire layer and of rpc-link.ts to the sibling parts, as externals. */
const splitParts = (ext, { inWire }) => ({
  name: 'split-parts',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const target = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      if (target === rpcLink && args.importer !== rpcLink) return { path: `./child-rpc.${ext}`, external: true };
      if (!inWire && target.startsWith(wireDir)) return { path: `./child-wire.${ext}`, external: true };
      return undefined;
    });
  },
});

const common = {
  plugins: [lazyCrypto],
  bundle: true,
  platform: 'node',
  target: 'node16',
  legalComments: 'none',
  logLevel: 'warning',
};
// vscode-jsonrpc is CommonJS and requires Node built-ins; give the ESM part that carries it a require.
const esmRequire =
  "import { createRequire as __procwireCreateRequire } from 'node:module';\nconst require = __procwireCreateRequire(import.meta.url);";
const parts = [
  { name: 'child-wire', entry: join(wireDir, 'index.ts'), inWire: true },
  { name: 'child', entry: join(root, 'child-sdk', 'index.ts') },
  { name: 'child-rpc', entry: rpcLink, needsRequire: true },
];
for (const [format, ext] of [
  ['cjs', 'cjs'],
  ['esm', 'mjs'],
]) {
  for (const part of parts) {
    await build({
      ...common,
      plugins: [splitParts(ext, { inWire: part.inWire === true }), lazyCrypto],
      entryPoints: [part.entry],
      format,
      outfile: join(root, 'dist', `${part.name}.${ext}`),
      // CommonJS loads the deferred part with require() inside a promise, not import(): no trip
      // through the ESM loader, and a bundler that takes in dist/child.cjs can follow it.
      supported: format === 'cjs' ? { 'dynamic-import': false } : {},
      banner: format === 'esm' && part.needsRequire ? { js: esmRequire } : {},
    });
  }
}
// The same SDK as one self-contained CommonJS file, for a toolchain that can take only one file
// (copied into a container, vendored into a project): it parses vscode-jsonrpc at start, so
// spawn-to-ready is a little slower than with the entry above, and it needs nothing beside it.
await build({
  ...common,
  entryPoints: [join(root, 'child-sdk', 'index.ts')],
  format: 'cjs',
  outfile: join(root, 'dist', 'child-standalone.cjs'),
  supported: { 'dynamic-import': false },
});
await build({
  ...common,
  plugins: [splitParts('cjs', { inWire: false }), lazyCrypto],
  entryPoints: [join(root, 'child-sdk', 'register.ts')],
  format: 'cjs',
  outfile: join(root, 'dist', 'register.cjs'),
  supported: { 'dynamic-import': false },
});

// The `procwire` command (package.json's bin) as one file; see build-cli.mjs.
await buildCli(root);

// The dashboard page (src/ui), served by `procwire run --ui`: one script with Preact bundled in,
// its stylesheet and its HTML, so nothing is fetched from anywhere else at run time.
await build({
  entryPoints: [`${root}/src/ui/main.tsx`],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  outfile: `${root}/dist/ui/app.js`,
});
mkdirSync(`${root}/dist/ui`, { recursive: true });
copyFileSync(`${root}/src/ui/index.html`, `${root}/dist/ui/index.html`);
copyFileSync(`${root}/src/ui/app.css`, `${root}/dist/ui/app.css`);
