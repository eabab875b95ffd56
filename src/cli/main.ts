#!/usr/bin/env node
// The `procwire` command.
import { readFileSync } from 'node:fs';
import { toMs } from '../options/duration.js';
import { packageJsonPath } from '../paths.js';
import { ExitCode, runCommand } from './run-command.js';

const HELP = `procwire - supervise child processes over a duplex local socket

Usage:
  procwire run [config] [--exit-after <duration>] [--no-probe] [--probe-any-host]
  procwire --help | --version

procwire run starts the children of a config file (default: ./procwire.config.json) in
order and shows them: a live status table on a terminal, one line per event otherwise.
Child output is prefixed with the child's id; diagnostics print as compilers print them.
Ctrl-C or SIGTERM stops everything gracefully; a second Ctrl-C kills at once.

The config is a JSON array of child specs (every option of sup.spawn; durations as
strings like "5s"), or { "$schema": ..., "children": [...] }. A child may set
"critical": false so that its failure does not fail the run.

  [
    { "id": "web", "command": "node", "args": ["server.js"], "restart": "always" },
    { "id": "tsc", "command": "./node_modules/.bin/tsc-server", "critical": false }
  ]

Options:
  --exit-after <duration>   shut down by itself after this long, e.g. 30s
  --no-probe                do not GET the http ports children report
  --probe-any-host          GET them even when the reported host is not loopback

Exit codes: 0 ok; 1 a critical child failed; 2 bad usage or config (nothing started);
130 killed by a second Ctrl-C.
`;

/** Parses the arguments and runs; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h') || args.length === 0) {
    process.stdout.write(HELP);
    return args.length === 0 ? ExitCode.usage : ExitCode.ok;
  }
  if (args.includes('--version') || args.includes('-v')) {
    const { version } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  const command = args.shift();
  if (command !== 'run') return usage(`unknown command ${JSON.stringify(command)}`);
  let config: string | undefined;
  let exitAfterMs: number | undefined;
  let probe = true;
  let probeAnyHost = false;
  while (args.length > 0) {
    const arg = args.shift() as string;
    if (arg === '--no-probe') probe = false;
    else if (arg === '--probe-any-host') probeAnyHost = true;
    else if (arg === '--exit-after' || arg.startsWith('--exit-after=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args.shift();
      try {
        exitAfterMs = toMs('--exit-after', value as string);
      } catch (error) {
        return usage((error as Error).message);
      }
    } else if (arg.startsWith('-')) return usage(`unknown option ${arg}`);
    else if (config === undefined) config = arg;
    else return usage(`one config file at a time; got ${config} and ${arg}`);
  }
  return runCommand({
    config: config ?? 'procwire.config.json',
    exitAfterMs,
    probe,
    probeAnyHost,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

function usage(problem: string): number {
  process.stderr.write(`procwire: ${problem}\nRun procwire --help for usage.\n`);
  return ExitCode.usage;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`procwire: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
