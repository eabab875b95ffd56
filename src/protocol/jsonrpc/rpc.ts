import {
  CancellationTokenSource,
  ErrorCodes,
  ParameterStructures,
  ResponseError,
  type CancellationToken,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { ProcwireError } from '../wire/errors.js';
import { NoHandlerError, type HandlerContext } from '../wire/handler-table.js';
import { checkParams } from '../wire/params.js';

/**
 * Turns one params value into the argument list vscode-jsonrpc's string-method overloads
 * take, so the peer receives exactly the object or array that was sent (vscode-jsonrpc's
 * default would wrap an array in another array).
 */
export function toParamArgs(method: string, params: unknown): unknown[] {
  checkParams(method, params);
  if (params === undefined) return [];
  if (Array.isArray(params)) return [ParameterStructures.byPosition, ...params];
  return [ParameterStructures.byName, params];
}

/** Limits of one outgoing request, with the timeout already in ms. */
export interface RequestLimits {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Who is on the other end, for error messages: `child "x"` or `the parent`. */
export interface PeerContext {
  peer: string;
  childId: string | undefined;
  /** Aborted when the connection has closed. */
  closed: AbortSignal;
}

/**
 * Sends a request over `connection` bounded by a timeout, an abort signal and the
 * connection's life. A timeout or abort also sends `$/cancelRequest` to the peer.
 * Rejects with TIMEOUT, ABORTED or CONNECTION_CLOSED, or with the peer's ResponseError.
 */
export async function requestWithLimits(
  connection: MessageConnection,
  method: string,
  params: unknown,
  limits: RequestLimits,
  context: PeerContext,
): Promise<unknown> {
  const args = toParamArgs(method, params);
  const closedMessage = 'was not answered: the connection closed (the peer exited or broke the protocol)';
  const fail = (code: ProcwireError['code'], what: string, cause?: unknown): ProcwireError =>
    new ProcwireError(code, `${context.peer}: request "${method}" ${what}`, { childId: context.childId, cause });
  if (context.closed.aborted) throw fail('CONNECTION_CLOSED', closedMessage);
  const { signal, timeoutMs } = limits;
  if (signal === undefined && timeoutMs === undefined) {
    // The common case, and the latency-critical one: no timer, no token, no race. A close
    // still rejects: the owner disposes the connection once it has handled what it read,
    // and vscode-jsonrpc then rejects every request still pending.
    try {
      return await connection.sendRequest(method, ...(args as [unknown]));
    } catch (error) {
      if (
        context.closed.aborted ||
        (error instanceof ResponseError && error.code === ErrorCodes.PendingResponseRejected)
      ) {
        throw fail('CONNECTION_CLOSED', closedMessage, error);
      }
      throw error;
    }
  }
  if (signal?.aborted) throw fail('ABORTED', 'was aborted', signal.reason);
  const source = new CancellationTokenSource();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let onClose: (() => void) | undefined;
  const bounds = new Promise<never>((_, reject) => {
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        source.cancel();
        reject(fail('TIMEOUT', `got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    }
    if (signal) {
      onAbort = () => {
        source.cancel();
        reject(fail('ABORTED', 'was aborted', signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    onClose = () => reject(fail('CONNECTION_CLOSED', closedMessage));
    context.closed.addEventListener('abort', onClose, { once: true });
  });
  try {
    return await Promise.race([connection.sendRequest(method, ...(args as [unknown]), source.token), bounds]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    if (onClose) context.closed.removeEventListener('abort', onClose);
    bounds.catch(() => undefined);
    source.dispose();
  }
}

/**
 * Runs an incoming request's handler with an AbortSignal that fires when the peer cancels
 * (`$/cancelRequest`) or the connection closes. A method nobody serves is answered with
 * JSON-RPC's MethodNotFound. Returns the handler's value as is when it is not a promise,
 * so a synchronous handler costs no extra turn.
 */
export function runHandler(
  token: CancellationToken,
  closed: AbortSignal,
  handler: (context: HandlerContext) => unknown,
): unknown {
  // The AbortSignal is made only if the handler asks for it: most never do, and this runs
  // for every request.
  let controller: AbortController | undefined;
  let subscription: { dispose(): void } | undefined;
  let settled = false;
  const cancel = (): void => controller?.abort();
  const context: HandlerContext = {
    get signal(): AbortSignal {
      if (controller === undefined) {
        controller = new AbortController();
        if (token.isCancellationRequested || closed.aborted) controller.abort();
        // Read after the handler finished, or already aborted: nothing left to listen for.
        else if (!settled) {
          subscription = token.onCancellationRequested(cancel);
          closed.addEventListener('abort', cancel, { once: true });
        }
      }
      return controller.signal;
    },
  };
  const finish = (): void => {
    settled = true;
    if (subscription === undefined) return;
    subscription.dispose();
    closed.removeEventListener('abort', cancel);
  };
  let result: unknown;
  try {
    result = handler(context);
  } catch (error) {
    finish();
    throw toResponseError(error);
  }
  if (!isPromiseLike(result)) {
    finish();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      finish();
      return value;
    },
    (error: unknown) => {
      finish();
      throw toResponseError(error);
    },
  );
}

function toResponseError(error: unknown): unknown {
  return error instanceof NoHandlerError ? new ResponseError(ErrorCodes.MethodNotFound, error.message) : error;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
