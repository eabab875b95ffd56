import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { Methods, isProcwireError } from '../protocol/index.js';
import type { StopResult } from '../terminate/stop-result.js';
import type { ChildSpec } from './spec.js';

/** JSON-RPC error codes of `procwire/spawn` and `procwire/stop` (docs/PROTOCOL.md). */
export const ControlErrorCodes = {
  /** The calling child's spec does not have `allowControl: true`. */
  forbidden: -32001,
  /** The spawn or stop itself failed; `data.code` is the ProcwireError code. */
  failed: -32002,
} as const;

/** What a child with `allowControl` may do to its siblings, on the supervisor's behalf. */
export interface ControlTarget {
  spawn(spec: ChildSpec): Promise<{ id: string }>;
  stop(id: string): Promise<StopResult>;
  has(id: string): boolean;
}

/**
 * Serves a child's `procwire/spawn` and `procwire/stop`: refused unless the child's spec
 * allows control; bad params are InvalidParams; a failed spawn or stop is an error whose
 * data carries the ProcwireError code.
 */
export async function serveControl(
  target: ControlTarget | undefined,
  caller: string,
  method: string,
  params: unknown,
): Promise<unknown> {
  if (target === undefined) {
    throw new ResponseError(
      ControlErrorCodes.forbidden,
      `${method} is refused: child "${caller}" does not have allowControl: true in its spec`,
    );
  }
  try {
    if (method === Methods.spawn) return await target.spawn(params as ChildSpec);
    const id = (params as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !target.has(id)) {
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `procwire/stop needs { id } of an existing child; got ${JSON.stringify(params)}`,
      );
    }
    return await target.stop(id);
  } catch (error) {
    if (error instanceof ResponseError) throw error;
    if (error instanceof TypeError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
    throw new ResponseError(ControlErrorCodes.failed, (error as Error).message, {
      code: isProcwireError(error) ? error.code : undefined,
    });
  }
}
