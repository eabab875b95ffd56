// Every verb of the `procwire` command, in the order `procwire --help` lists them. A new verb
// is a file in this folder (see verb.ts) and a line here; a family of verbs
// (`procwire toolchain which|list|install`) is a VerbGroup whose commands are such files.
import { runVerb } from './run.js';
import { toolchainGroup } from './toolchain.js';
import type { VerbGroup } from './verb.js';

/** The root of the command: `procwire <command>`. */
export const procwire: VerbGroup = {
  name: 'procwire',
  summary: 'supervise child processes over a duplex local socket',
  commands: [runVerb, toolchainGroup],
};
