import { ProcwireError } from '../protocol/index.js';

/** A ProcwireError whose message starts with the pool it comes from: `pool "<id>": <what>`. */
export function poolError(
  poolId: string,
  code: ProcwireError['code'],
  what: string,
  details: { cause?: unknown; workerId?: string } = {},
): ProcwireError {
  return new ProcwireError(code, `pool "${poolId}": ${what}`, details);
}
