// Builds the `procwire` command as one CommonJS file, dist/cli.cjs: the dispatcher, every verb's
// declaration and the whole client side of the control API (ps, logs, diagnostics, start, stop,
// restart, wait). A verb that talks to a run is Node's start plus this one file: no ESM loader,
// no module graph to resolve, link and read file by file (that cost ~40 ms of 185). The verbs
// that need the supervisor or the toolchain resolver (run, toolchain *) reach them with import(),
// which stays an import() of the unbundled modules in dist/src/, loaded only by those verbs.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

// npm packages the bundle may carry: small, and loading them from node_modules costs a
// resolution through the directories (~2 ms for ms). Any other package stays a require() that
// test/cli/start-cost.test.ts would see.
const INLINED_PACKAGES = new Set(['ms']);

// Modules in both the bundle and a lazily imported graph exist twice at run time, so a class
// they declare has two identities and `instanceof` across the boundary is false. Each one here
// has been checked not to cross it; the build fails on any other, naming it.
const SHARED_CLASSES_CHECKED = new Map([
  ['src/control/control-request-error.ts', "ControlRequestError: run's serve-socket catches its own copy's"],
  ['src/child/run.ts', 'Run: made only by the supervisor; ending.ts takes describeExit alone'],
]);

/** Builds dist/cli.cjs from src/cli/main.ts; returns the modules it holds. */
export async function buildCli(root) {
  const outfile = join(root, 'dist', 'cli.cjs');
  const lazyTargets = new Set();
  const boundary = {
    name: 'cli-boundary',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        // A built-in loaded when needed (node:http for event streams) is a require() when the
        // import() runs: an import() would start the ESM loader.
        if (args.kind === 'dynamic-import' && args.path.startsWith('node:')) {
          return { path: args.path, namespace: 'builtin' };
        }
        if (args.kind === 'dynamic-import') {
          const source = resolve(args.resolveDir, args.path);
          lazyTargets.add(source.replace(/\.js$/, '.ts'));
          const built = join(root, 'dist', relative(root, source));
          const path = relative(dirname(outfile), built).split('\\').join('/');
          return { path: path.startsWith('.') ? path : `./${path}`, external: true };
        }
        const bare = /^[^./]/.test(args.path) && !args.path.startsWith('node:');
        if (bare && !INLINED_PACKAGES.has(args.path)) return { path: args.path, external: true };
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
  const result = await build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    plugins: [boundary],
    // The one import.meta.url in the bundle (cli/version.ts, for --version) is this file's own
    // URL, made when asked for.
    define: { 'import.meta.url': '__procwireCli.url' },
    banner: {
      js: "'use strict';\nvar __procwireCli = { get url() { return require('node:url').pathToFileURL(__filename).href; } };",
    },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const bundled = Object.keys(result.metafile.inputs);
  await checkSharedClasses(root, bundled, lazyTargets);
  return bundled;
}

async function checkSharedClasses(root, bundled, lazyTargets) {
  const inBundle = new Set(bundled);
  const problems = [];
  for (const target of lazyTargets) {
    const graph = await build({
      entryPoints: [target],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      metafile: true,
      write: false,
      logLevel: 'error',
    });
    for (const file of Object.keys(graph.metafile.inputs)) {
      if (!inBundle.has(file) || SHARED_CLASSES_CHECKED.has(file)) continue;
      if (/^export (abstract )?class /m.test(readFileSync(join(root, file), 'utf8'))) {
        problems.push(`${file} (under import() of ${relative(root, target)})`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `a class would exist twice, in the CLI bundle and in a lazily imported module: ${problems.join(', ')}. ` +
        'Reach it through the import() on the bundle side too, or check that no instanceof crosses and list it in ' +
        'scripts/build-cli.mjs',
    );
  }
}
