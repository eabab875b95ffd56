// Builds what the package ships: the parent library and declarations with tsc, and the
// child SDK as one dependency-free bundle (CommonJS for any Node >= 16, and ESM) with esbuild.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

const common = {
  entryPoints: [`${root}/child-sdk/index.ts`],
  plugins: [lazyCrypto],
  bundle: true,
  platform: 'node',
  target: 'node16',
  legalComments: 'none',
  logLevel: 'warning',
};
await build({ ...common, format: 'cjs', outfile: `${root}/dist/child.cjs` });
await build({
  ...common,
  entryPoints: [`${root}/child-sdk/register.ts`],
  format: 'cjs',
  outfile: `${root}/dist/register.cjs`,
});
await build({
  ...common,
  format: 'esm',
  outfile: `${root}/dist/child.mjs`,
  // vscode-jsonrpc is CommonJS and requires Node built-ins; give the ESM bundle a require.
  banner: {
    js: "import { createRequire as __procwireCreateRequire } from 'node:module';\nconst require = __procwireCreateRequire(import.meta.url);",
  },
});

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
