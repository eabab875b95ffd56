import { childControlVerb } from '../child-control-verb.js';

/** `procwire restart <id>`: see child-control-verb.ts. */
export const restartVerb = childControlVerb('restart');
