// What a verb of the `procwire` command declares. The parser (parse-verb-args.ts), the help
// (help-text.ts) and the dispatcher (dispatch.ts) are built from these declarations alone, so a
// new verb is one file under verbs/ and one line in verbs/index.ts.

/** One option of a verb. `--help`/`-h` is every verb's own and is not declared. */
export interface OptionSpec {
  type: 'boolean' | 'string';
  /** A one-letter alias, e.g. `f` for `-f`. */
  short?: string;
  /** A string option's value as the help shows it, e.g. `<duration>`. */
  value?: string;
  /**
   * A string option whose value may be left out: `--ui` alone gives `''`; `--ui=8080`, or
   * `--ui 8080` when the next word matches this pattern, gives the value. A next word that
   * does not match stays a positional.
   */
  optional?: RegExp;
  /** What an optional value may be, for the problem a value that does not match it reports. */
  optionalWhat?: string;
  /** A string option the verb cannot run without: its usage shows `--name <value>`, not in brackets. */
  required?: boolean;
  /** One line for the help. */
  description: string;
}

/** One positional argument, in order. Optional ones show as `[name]`, required ones as `<name>`. */
export interface PositionalSpec {
  name: string;
  required?: boolean;
  description: string;
}

/** A verb's options as parsed: a string option's value, `true` for a boolean, absent when not given. */
export type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K] extends { type: 'string' }
    ? string
    : O[K] extends { type: 'boolean' }
      ? boolean
      : string | boolean;
};

/** What a verb's `run` receives. */
export interface VerbArgs<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  values: OptionValues<O>;
  positionals: string[];
}

/** Where a verb writes: the process's streams (a verb may look at `isTTY` and `columns`). */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** A verb: `procwire <name> [positionals] [options]`. */
export interface Verb<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  /** One line for the list of commands in `procwire --help`. */
  summary: string;
  positionals: readonly PositionalSpec[];
  options: O;
  /** What the verb does, printed between the usage line and the arguments in its `--help`. */
  description: string;
  /** Printed after the options, e.g. the exit codes. */
  epilogue?: string;
  /**
   * Does the verb's work and resolves with the exit code. Throws UsageError for arguments
   * the declarations cannot check (a duration that does not parse); the dispatcher prints it
   * and exits 2.
   */
  run(args: VerbArgs<O>, io: CliIo): Promise<number>;
}

/** Verbs under one name, e.g. `procwire toolchain which|list|install`; the root is one too. */
export interface VerbGroup {
  name: string;
  summary: string;
  commands: readonly Command[];
}

/** What a name on the command line can lead to. */
export type Command = Verb | VerbGroup;

/** Bad arguments: printed with the verb's name and a pointer to its `--help`; exit 2. */
export class UsageError extends Error {}

/** Checks a verb's declarations against its run function; use it to write a verb. */
export function defineVerb<O extends Record<string, OptionSpec>>(verb: Verb<O>): Verb {
  return verb as unknown as Verb;
}

/** True for a group of verbs, false for a verb. */
export function isGroup(command: Command): command is VerbGroup {
  return 'commands' in command;
}
