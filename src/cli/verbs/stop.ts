import { childControlVerb } from '../child-control-verb.js';

/** `procwire stop <id>`: see child-control-verb.ts. */
export const stopVerb = childControlVerb('stop');
