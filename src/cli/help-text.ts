import { shownPositional } from './parse-verb-args.js';
import { isGroup, type Verb, type VerbGroup } from './verbs/verb.js';

const HELP_OPTION: Row = ['-h, --help', 'show this help'];

type Row = readonly [left: string, right: string];

/** `procwire run [config] [--exit-after <duration>] [--no-probe] [--probe-any-host]`, for the verb at `path`. */
export function formatUsage(path: string, verb: Verb): string {
  const options = Object.entries(verb.options).map(([name, spec]) => {
    if (spec.type !== 'string') return `[--${name}]`;
    const option = `--${name} ${spec.value ?? '<value>'}`;
    return spec.required ? option : `[${option}]`;
  });
  return [path, ...verb.positionals.map(shownPositional), ...options].join(' ');
}

/** A verb's `--help`: usage, description, arguments, options (with `-h, --help`), epilogue. */
export function formatVerbHelp(path: string, verb: Verb): string {
  const options: Row[] = Object.entries(verb.options).map(([name, spec]) => {
    // Long names line up whether or not an option has a short one.
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.type === 'string' ? ` ${spec.value ?? '<value>'}` : '';
    return [`${short}--${name}${value}`, spec.description];
  });
  const positionals: Row[] = verb.positionals.map((p) => [p.name, p.description]);
  const sections = [
    `${path} - ${verb.summary}`,
    `Usage:\n  ${formatUsage(path, verb)}`,
    verb.description.trimEnd(),
    ...(positionals.length > 0 ? [`Arguments:\n${formatRows(positionals)}`] : []),
    `Options:\n${formatRows([...options, HELP_OPTION])}`,
    ...(verb.epilogue === undefined ? [] : [verb.epilogue.trimEnd()]),
  ];
  return `${sections.join('\n\n')}\n`;
}

/**
 * A group's `--help` (the root's is `procwire --help`): usage, its commands with their
 * summaries, its options (`-h, --help` and `extra`), and where each command's help is.
 */
export function formatGroupHelp(path: string, group: VerbGroup, extra: readonly Row[] = []): string {
  const commands: Row[] = group.commands.map((command) => [
    isGroup(command) ? `${command.name} <command>` : command.name,
    command.summary,
  ]);
  const sections = [
    `${path} - ${group.summary}`,
    `Usage:\n  ${path} <command> [arguments] [options]\n  ${path} <command> --help`,
    `Commands:\n${formatRows(commands)}`,
    `Options:\n${formatRows([HELP_OPTION, ...extra])}`,
    `Run ${path} <command> --help for what a command does, its arguments and its options.`,
  ];
  return `${sections.join('\n\n')}\n`;
}

/** Two columns, the second aligned, indented by two spaces. */
function formatRows(rows: readonly Row[]): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`).join('\n');
}
