import { ExitCode } from '../exit-code.js';
import { escapeControls } from '../sanitize-text.js';
import { cwdOption, runtimeArgument } from '../toolchain-args.js';
import { defineVerb } from './verb.js';

/** `procwire toolchain which [node|python] [--cwd dir]`: the runtime a child there would run on, and why. */
export const toolchainWhichVerb = defineVerb({
  name: 'which',
  summary: 'the runtime a child started in a directory runs on, and why',
  positionals: [
    { name: 'runtime', description: 'node (default) or python; node@18 resolves that pin instead of the pin files' },
  ],
  options: {
    cwd: { type: 'string', value: '<dir>', description: 'read the pin files from here upward (default: .)' },
    json: { type: 'boolean', description: 'print { name, version, path, source, pin, manager } as JSON' },
  },
  description: `Resolves a runtime as a child with runtime: { node: 'auto' } (or the pin given) would:
the nearest pin file from the directory upward (.nvmrc, .node-version, package.json
volta.node, .tool-versions, then package.json engines.node; .python-version), then the
highest installed version that satisfies it, looking where nvm, fnm, Volta, mise, asdf,
pyenv and procwire's own cache keep versions, then PATH. A .tool-versions line that lists
several versions takes the first of them that is installed, as asdf and mise do.`,
  epilogue: 'Exit codes: 0 found; 2 nothing satisfies the pin (the message says what was searched) or bad usage.',
  async run({ values, positionals }, io) {
    const request = await runtimeArgument(positionals[0]);
    // Both through import(): the error is the resolver's, and isProcwireError must be its copy's
    // (the CLI bundle would hold another ProcwireError class; see scripts/build-cli.mjs).
    const [{ resolveRuntime }, { isProcwireError }] = await Promise.all([
      import('../../toolchain/index.js'),
      import('../../protocol/wire/errors.js'),
    ]);
    const cwd = cwdOption(values.cwd);
    try {
      const runtime = resolveRuntime(request, { cwd, env: process.env, pinSource: 'command line' });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(runtime)}\n`);
        return ExitCode.ok;
      }
      const pin =
        runtime.pin === undefined
          ? 'no pin'
          : runtime.listed === undefined
            ? `pin ${runtime.pin}`
            : `pin ${runtime.pin}, the first installed of ${runtime.listed.join(' ')}`;
      const lines = [
        `${runtime.name} ${runtime.version}`,
        `  path     ${runtime.path}`,
        `  source   ${runtime.source} (${pin})`,
        `  manager  ${runtime.manager}`,
      ];
      io.stdout.write(`${lines.map(escapeControls).join('\n')}\n`);
      return ExitCode.ok;
    } catch (error) {
      if (!isProcwireError(error, 'TOOLCHAIN_NOT_FOUND')) throw error;
      io.stderr.write(`procwire toolchain which: ${escapeControls(error.message)}\n`);
      return ExitCode.usage;
    }
  },
});
