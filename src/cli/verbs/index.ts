// Every verb of the `procwire` command, in the order `procwire --help` lists them. A new verb
// is a file in this folder (see verb.ts) and a line here; a family of verbs
// (`procwire toolchain which|list|install`) is a VerbGroup whose commands are such files.
import { diagnosticsVerb } from './diagnostics.js';
import { logsVerb } from './logs.js';
import { psVerb } from './ps.js';
import { restartVerb } from './restart.js';
import { runVerb } from './run.js';
import { startVerb } from './start.js';
import { stopVerb } from './stop.js';
import { toolchainGroup } from './toolchain.js';
import type { VerbGroup } from './verb.js';
import { waitVerb } from './wait.js';

/** The root of the command: `procwire <command>`. */
export const procwire: VerbGroup = {
  name: 'procwire',
  summary: 'supervise child processes over a duplex local socket',
  commands: [runVerb, psVerb, logsVerb, diagnosticsVerb, startVerb, stopVerb, restartVerb, waitVerb, toolchainGroup],
};
