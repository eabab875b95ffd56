import { toMs } from '../../options/duration.js';
import { defineVerb, UsageError } from './verb.js';

/** `procwire run [config]`: supervise the children of a config file until they end or Ctrl-C. */
export const runVerb = defineVerb({
  name: 'run',
  summary: 'start the children of a config file and show them until they end or Ctrl-C',
  positionals: [{ name: 'config', description: 'the config file (default: ./procwire.config.json)' }],
  options: {
    'exit-after': { type: 'string', value: '<duration>', description: 'shut down by itself after this long, e.g. 30s' },
    'no-probe': { type: 'boolean', description: 'do not GET the http ports children report' },
    'probe-any-host': { type: 'boolean', description: 'GET them even when the reported host is not loopback' },
    ui: {
      type: 'string',
      value: '[port]',
      optional: /^\d{1,5}$/,
      optionalWhat: 'a port number, or no value for any free port',
      description: 'serve the dashboard on 127.0.0.1 (any free port, or this one); prints its URL',
    },
  },
  description: `Starts the children of a config file in order and shows them: a live status table on a
terminal, one line per event otherwise. Child output is prefixed with the child's id;
diagnostics print as compilers print them. Ctrl-C or SIGTERM stops everything gracefully;
a second Ctrl-C kills at once. At the end a summary says how each child ended.

While it runs it serves the control API on a Unix socket of its own (mode 0600, in a
per-user directory of mode 0700) that procwire ps, logs, diagnostics, start, stop,
restart and wait use from another terminal; a second run of the same config is refused.
--ui also serves a live dashboard and the same API on 127.0.0.1, behind a token in the
URL it prints.

The config is a JSON array of child specs (every option of sup.spawn; durations as
strings like "5s"), or { "$schema": ..., "children": [...] }. A child may set
"critical": false so that its failure or non-zero exit does not fail the run.

  [
    { "id": "web", "command": "node", "args": ["server.js"], "restart": "always" },
    { "id": "tsc", "command": "./node_modules/.bin/tsc-server", "critical": false }
  ]`,
  epilogue: `Exit codes: 0 ok; 1 a critical child failed, or exited by itself with a non-zero code or
a signal (a one-shot compiler that found errors); 2 bad usage or config (nothing started);
130 killed by a second Ctrl-C.`,
  async run({ values, positionals }, io) {
    const uiPort = values.ui === undefined ? undefined : Number(values.ui || 0);
    if (uiPort !== undefined && uiPort > 65535) throw new UsageError(`--ui takes a port up to 65535; got ${uiPort}`);
    let exitAfterMs: number | undefined;
    try {
      exitAfterMs = values['exit-after'] === undefined ? undefined : toMs('--exit-after', values['exit-after']);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // Loaded only for run: the supervisor and everything it needs would slow every other verb's start.
    const { runCommand } = await import('../run-command.js');
    return runCommand({
      config: positionals[0] ?? 'procwire.config.json',
      exitAfterMs,
      probe: values['no-probe'] !== true,
      probeAnyHost: values['probe-any-host'] === true,
      uiPort,
      stdout: io.stdout,
      stderr: io.stderr,
    });
  },
});
