import type { ServerResponse } from 'node:http';
import { isProcwireError, type ProcwireErrorCode } from '../protocol/index.js';
import type { ErrorBody } from './types.js';

/** The API's own error codes, beside the ProcwireError codes of what it asked a child to do. */
export type ControlErrorCode =
  | 'NOT_FOUND'
  | 'UNKNOWN_CHILD'
  | 'METHOD_NOT_ALLOWED'
  | 'BAD_REQUEST'
  | 'BODY_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_CONTROLLABLE'
  | 'SHUTTING_DOWN'
  | 'INTERNAL';

/** An answer that is an error: its HTTP status and the JSON body's code and message. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ControlErrorCode | ProcwireErrorCode;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: ControlErrorCode | ProcwireErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

// What a child's control failed with, as HTTP says it: the request conflicted with what the
// child was doing (409), the child failed to start (502), or did not get ready in time (504).
const STATUS_OF: Partial<Record<ProcwireErrorCode, number>> = {
  STOPPED: 409,
  NOT_RUNNING: 409,
  INVALID_SPEC: 400,
  MESSAGE_TOO_LARGE: 413,
  READY_TIMEOUT: 504,
  TIMEOUT: 504,
  SPAWN_FAILED: 502,
  EXITED_BEFORE_READY: 502,
  GAVE_UP: 502,
  PROTOCOL_ERROR: 502,
  AUTH_FAILED: 502,
};

/**
 * Any thrown value as an HttpError: a ProcwireError keeps its code (one not listed here, such
 * as DEPENDENCY_FAILED or TOOLCHAIN_NOT_FOUND, is a child's failure: 502); anything else is a 500.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isProcwireError(error)) return new HttpError(STATUS_OF[error.code] ?? 502, error.code, error.message);
  return new HttpError(500, 'INTERNAL', `procwire's control API failed: ${(error as Error)?.message ?? String(error)}`);
}

/** Writes a JSON answer with headers that keep browsers from caching or sniffing it. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** Writes an error answer, unless the answer has already begun (then the connection is cut). */
export function sendError(res: ServerResponse, error: unknown): void {
  const http = toHttpError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const tail = isProcwireError(error) ? error.stderrTail : undefined;
  const body: ErrorBody = {
    error: { code: http.code, message: http.message, ...(tail?.length ? { stderrTail: [...tail] } : {}) },
  };
  sendJson(res, http.status, body, http.headers);
}
