// procwire in one page: run a dev server and a "pinned compiler" as supervised children,
// use what they report (a port, diagnostics, logs), call them, and shut everything down.
//
//   npm run example:api        (builds dist/, then runs this file)
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor, type Child, type Diagnostic } from '../src/index.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** Prints a child's log entries and output lines, prefixed with its id. */
function follow(child: Child): void {
  child.on('log', ({ level, message }) => console.log(`[${child.id}] ${level}: ${message}`));
  child.on('stdout', (line) => console.log(`[${child.id}] ${line}`));
  child.on('stderr', (line) => console.error(`[${child.id}] stderr: ${line}`));
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'] as const;

/** tsc's format, `path:line:col - error TS2322: message`, with 1-based line and column. */
function format(file: string, d: Diagnostic): string {
  const { line, character } = d.range.start;
  const kind = `${SEVERITY[d.severity ?? 1]}${d.code === undefined ? '' : ` ${d.code}`}`;
  return `${relative(process.cwd(), file)}:${line + 1}:${character + 1} - ${kind}: ${d.message}`;
}

const sup = await Supervisor.start();
// Listen from the moment a child exists, so what it says while starting is not missed.
sup.on('child', follow);

// Shut down once, whether we finish, fail, or get Ctrl-C: stops the children, removes the socket.
let exiting: Promise<never> | undefined;
const exit = (code: number): Promise<never> => (exiting ??= sup.shutdown().then(() => process.exit(code)));
process.once('SIGINT', () => {
  console.log('\nSIGINT: shutting down');
  void exit(130);
});

try {
  // spawn() resolves once the child has connected back and said ready.
  const web = await sup.spawn({ id: 'web', command: process.execPath, args: [here('demo/children/web-server.cjs')] });
  const { protocol, host, port } = await web.waitForPort('http', { timeout: '5s' });
  const url = `${protocol}://${host}:${port}/`;
  console.log(`web server: ${url}`);
  console.log(`it says: ${(await (await fetch(url)).text()).trim()}`);

  const compiler = await sup.spawn({
    id: 'compiler',
    command: process.execPath,
    args: [here('demo/children/compiler.cjs'), here('demo/sample-project')],
  });
  console.log('diagnostics:');
  for (const [file, diagnostics] of compiler.diagnostics) {
    for (const d of diagnostics) console.log(`  ${format(file, d)}`);
  }
  const summary = await compiler.sendRequest<{ errors: number; warnings: number }>('build', {}, { timeout: '10s' });
  console.log(`build: ${summary.errors} error(s), ${summary.warnings} warning(s)`);
} catch (error) {
  if (!exiting) console.error(error);
  await exit(1);
}
console.log('shutting down');
await exit(0);
