import { parseArgs } from 'node:util';
import type { OptionSpec, Verb, VerbArgs } from './verbs/verb.js';

/** What the arguments after a verb's name ask for. */
export type ParsedVerbArgs = { kind: 'help' } | { kind: 'args'; args: VerbArgs } | { kind: 'problem'; problem: string };

/**
 * Parses a verb's arguments against its declarations with node:util `parseArgs`. `--help` or
 * `-h` anywhere (before a `--`) asks for help, whatever else is wrong. Otherwise the first
 * problem wins: an option the verb does not declare, a string option without a value (a value
 * that starts with `-` must be attached, `--tail=-5`, so that a forgotten value does not swallow
 * the next option), a value given to a boolean, a positional too many or a required one missing.
 */
export function parseVerbArgs(verb: Verb, argv: readonly string[]): ParsedVerbArgs {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(verb.options)) {
    // An option with an optional value must not swallow the next word: parseArgs sees a flag.
    const type = spec.optional ? 'boolean' : spec.type;
    options[name] = spec.short === undefined ? { type } : { type, short: spec.short };
  }
  // Not strict: parseArgs' own errors would stop at the first unknown option before a `--help`
  // after it was seen, and their wording is not ours. The tokens carry all that is needed.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let problem: string | undefined;
  // A word right after an option whose value is optional that is not such a value: a positional,
  // unless there are then too many of them, when it was most likely meant as the value.
  let meantAsValue: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as (typeof tokens)[number];
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    // A string option takes the next word even when it is `--help` (`--tail --help`).
    if (token.name === 'help' || (!token.inlineValue && (token.value === '--help' || token.value === '-h'))) {
      return { kind: 'help' };
    }
    const spec: OptionSpec | undefined = Object.hasOwn(verb.options, token.name) ? verb.options[token.name] : undefined;
    if (spec?.optional) {
      const next = tokens[i + 1];
      const taken = next?.kind === 'positional' && next.index === token.index + 1 && spec.optional.test(next.value);
      if (taken) i++;
      const value = taken ? next.value : (token.value ?? '');
      const what = spec.optionalWhat ?? spec.value ?? 'a value';
      if (token.value !== undefined && !spec.optional.test(value)) {
        problem ??= `${token.rawName} takes ${what}; got ${JSON.stringify(value)}`;
      }
      if (!taken && next?.kind === 'positional' && next.index === token.index + 1) {
        meantAsValue ??= `${token.rawName} takes ${what}; got ${JSON.stringify(next.value)}`;
      }
      values[token.name] = value;
      continue;
    }
    problem ??= optionProblem(token, spec);
    if (spec !== undefined) values[token.name] = token.value ?? true;
  }
  if (positionals.length > verb.positionals.length) problem ??= meantAsValue;
  problem ??= positionalProblem(verb, positionals);
  return problem === undefined ? { kind: 'args', args: { values, positionals } } : { kind: 'problem', problem };
}

interface OptionToken {
  name: string;
  rawName: string;
  value?: string | undefined;
  inlineValue?: boolean | undefined;
}

function optionProblem(token: OptionToken, spec: OptionSpec | undefined): string | undefined {
  const { rawName, value } = token;
  if (spec === undefined) return `unknown option ${rawName}`;
  if (spec.type === 'boolean') return value === undefined ? undefined : `${rawName} takes no value; got ${value}`;
  const form = `${rawName} ${spec.value ?? '<value>'}`;
  if (value === undefined) return `${rawName} needs a value: ${form}`;
  if (!token.inlineValue && value.startsWith('-')) {
    const attached = `for a value that starts with "-", write ${rawName}=${value}`;
    return `${rawName} needs a value: ${form}; got the option ${value} (${attached})`;
  }
  return undefined;
}

function positionalProblem(verb: Verb, positionals: readonly string[]): string | undefined {
  const extra = positionals[verb.positionals.length];
  if (extra !== undefined) {
    const takes =
      verb.positionals.length === 0 ? 'it takes none' : `it takes ${verb.positionals.map(shownPositional).join(' ')}`;
    return `unexpected argument ${JSON.stringify(extra)} (${takes})`;
  }
  const missing = verb.positionals.find((positional, index) => positional.required && positionals[index] === undefined);
  return missing === undefined ? undefined : `missing ${shownPositional(missing)}`;
}

/** `<name>` for a required positional, `[name]` for an optional one. */
export function shownPositional(positional: { name: string; required?: boolean }): string {
  return positional.required ? `<${positional.name}>` : `[${positional.name}]`;
}
