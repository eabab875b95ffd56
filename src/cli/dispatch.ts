import { ExitCode } from './exit-code.js';
import { formatGroupHelp, formatVerbHelp } from './help-text.js';
import { parseVerbArgs } from './parse-verb-args.js';
import { type CliIo, type Command, isGroup, UsageError, type Verb, type VerbGroup } from './verbs/verb.js';

/** What the root of the command knows beyond its verbs. */
export interface RootOptions {
  /** The package's version, for `--version`/`-v` (asked for only then). */
  version(): string;
}

/**
 * Runs the command line `argv` (without node and the script) against `root`, whose name is
 * the program's, and resolves with the exit code. `procwire` alone prints the help and exits 2;
 * `--help`/`-h` exits 0, as does `--version`/`-v` at the root. A group (`procwire toolchain`)
 * resolves its verbs the same way. Unknown verbs, unknown options and bad arguments exit 2 on
 * stderr, naming the problem and the `--help` that explains; nothing runs.
 */
export function dispatch(argv: readonly string[], root: VerbGroup, io: CliIo, options: RootOptions): Promise<number> {
  const [first] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${options.version()}\n`);
    return Promise.resolve(ExitCode.ok);
  }
  return dispatchIn(root.name, root, argv, io);
}

async function dispatchIn(path: string, group: VerbGroup, argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  const isRoot = !path.includes(' ');
  const help = (): string =>
    formatGroupHelp(path, group, isRoot ? [['-v, --version', "print procwire's version"]] : []);
  if (first === undefined) {
    io.stdout.write(help());
    return ExitCode.usage;
  }
  if (first.startsWith('-')) {
    // As for a verb, help wins over a bad option beside it.
    const end = argv.findIndex((arg) => !arg.startsWith('-'));
    const leading = end === -1 ? argv : argv.slice(0, end);
    if (leading.includes('--help') || leading.includes('-h')) {
      io.stdout.write(help());
      return ExitCode.ok;
    }
    return usage(io, path, `unknown option ${first}; a command comes first: ${path} <command> [options]`);
  }
  const command: Command | undefined = group.commands.find((candidate) => candidate.name === first);
  if (command === undefined) {
    const names = group.commands.map((candidate) => candidate.name).join(', ');
    return usage(io, path, `unknown command ${JSON.stringify(first)}; the commands are: ${names}`);
  }
  const inner = `${path} ${command.name}`;
  return isGroup(command) ? dispatchIn(inner, command, rest, io) : runVerb(inner, command, rest, io);
}

async function runVerb(path: string, verb: Verb, argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseVerbArgs(verb, argv);
  if (parsed.kind === 'help') {
    io.stdout.write(formatVerbHelp(path, verb));
    return ExitCode.ok;
  }
  if (parsed.kind === 'problem') return usage(io, path, parsed.problem);
  try {
    return await verb.run(parsed.args, io);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, path, error.message);
    throw error;
  }
}

function usage(io: CliIo, path: string, problem: string): number {
  io.stderr.write(`${path}: ${problem}\nRun ${path} --help for usage.\n`);
  return ExitCode.usage;
}
