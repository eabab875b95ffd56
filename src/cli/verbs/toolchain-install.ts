import type { InstallProgress } from '../../toolchain/index.js';
import { ExitCode } from '../exit-code.js';
import { escapeControls } from '../sanitize-text.js';
import { defineVerb, UsageError, type CliIo } from './verb.js';

/** `procwire toolchain install node@<range>`: Node from the npm registry into procwire's cache. */
export const toolchainInstallVerb = defineVerb({
  name: 'install',
  summary: "install the newest Node satisfying a range into procwire's cache",
  positionals: [{ name: 'node@<range>', required: true, description: 'e.g. node@18, node@18.20, "node@>=18 <21"' }],
  options: {},
  description: `Downloads the npm registry's node-<os>-<arch> package of the newest version that satisfies the
range (the registry npm uses: $npm_config_registry, else registry.npmjs.org), checks its
integrity, unpacks it into procwire's cache ($PROCWIRE_CACHE_DIR, else ~/.cache/procwire) as
node/<version>/, and checks that the binary runs. Children whose pin it satisfies find it there.
The package holds the node binary only (no npm).`,
  epilogue: 'Exit codes: 0 installed (or there already); 2 bad usage, or the install failed (the reason is printed).',
  async run({ positionals }, io) {
    const [argument = ''] = positionals;
    if (!argument.startsWith('node@') || argument.length === 'node@'.length) {
      throw new UsageError(`${JSON.stringify(argument)}: only Node can be installed; write node@<range>, e.g. node@18`);
    }
    const range = argument.slice('node@'.length);
    const { cacheDir, InstallError, installNode } = await import('../../toolchain/index.js');
    const progress = progressLine(io);
    try {
      const result = await installNode(range, { env: process.env, progress: progress.update });
      progress.done();
      const what = result.already ? 'already installed' : 'installed';
      io.stdout.write(`${what}: node ${result.version} at ${escapeControls(result.path)}\n`);
      return ExitCode.ok;
    } catch (error) {
      progress.done();
      if (!(error instanceof InstallError)) throw error;
      io.stderr.write(
        `procwire toolchain install: ${escapeControls(error.message)} (cache: ${cacheDir(process.env)})\n`,
      );
      return ExitCode.usage;
    }
  },
});

/** One progress line: redrawn in place on a terminal, a line per phase elsewhere. */
function progressLine(io: CliIo): { update(progress: InstallProgress): void; done(): void } {
  const tty = io.stdout.isTTY === true;
  let lastPhase: string | undefined;
  let lastDrawn = 0;
  let drawn = false;
  const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  const describe = (p: InstallProgress): string => {
    const pkg = p.version === undefined ? p.pkg : `${p.pkg}@${p.version}`;
    if (p.phase === 'metadata') return `looking up ${pkg}`;
    if (p.phase === 'extract') return `unpacking ${pkg}`;
    if (p.phase === 'verify') return `checking that node ${p.version} runs`;
    const size = p.total === undefined ? '' : ` of ${mib(p.total)}`;
    const percent = p.total === undefined ? '' : ` (${Math.floor(((p.received ?? 0) / p.total) * 100)}%)`;
    return tty
      ? `downloading ${pkg}: ${mib(p.received ?? 0)}${size} MiB${percent}`
      : `downloading ${pkg}${p.total === undefined ? '' : ` (${mib(p.total)} MiB)`}`;
  };
  return {
    update(p) {
      const now = Date.now();
      if (!tty) {
        if (p.phase !== lastPhase) io.stdout.write(`${describe(p)}\n`);
      } else if (p.phase !== lastPhase || now - lastDrawn >= 100) {
        io.stdout.write(`\r\x1b[2K${describe(p)}`);
        lastDrawn = now;
        drawn = true;
      }
      lastPhase = p.phase;
    },
    done() {
      if (drawn) io.stdout.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
