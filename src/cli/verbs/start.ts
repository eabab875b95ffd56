import { childControlVerb } from '../child-control-verb.js';

/** `procwire start <id>`: see child-control-verb.ts. */
export const startVerb = childControlVerb('start');
