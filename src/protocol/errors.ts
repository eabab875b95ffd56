/**
 * Why an operation failed. The first group is what `spawn` and `start` reject with; the
 * rest belong to requests, waits and the connection.
 */
export type ProcwireErrorCode =
  | 'SPAWN_FAILED'
  | 'EXITED_BEFORE_READY'
  | 'READY_TIMEOUT'
  | 'INVALID_SPEC'
  | 'AUTH_FAILED'
  | 'PROTOCOL_ERROR'
  | 'MESSAGE_TOO_LARGE'
  | 'STOPPED'
  | 'GAVE_UP'
  | 'NOT_CONNECTED'
  | 'CONNECTION_CLOSED'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'NOT_SUPERVISED'
  | 'NOT_RUNNING'
  | 'WORKER_DIED'
  | 'TASK_TIMEOUT';

/** Extra facts an error carries, so callers can branch without parsing the message. */
export interface ProcwireErrorDetails {
  /** The child the error is about, when there is one. */
  childId?: string;
  exitCode?: number | null;
  signal?: string | null;
  /** The last lines the child wrote to stderr, oldest first (stdio 'pipe' only). */
  stderrTail?: string[];
  /** The pool worker a task ran on, for WORKER_DIED and TASK_TIMEOUT. */
  workerId?: string;
  cause?: unknown;
}

/**
 * The one error class procwire rejects with. `code` says why; the message names the child
 * and says how to fix the problem.
 */
export class ProcwireError extends Error {
  override readonly name = 'ProcwireError';
  readonly code: ProcwireErrorCode;
  readonly childId: string | undefined;
  readonly exitCode: number | null | undefined;
  readonly signal: string | null | undefined;
  readonly stderrTail: string[] | undefined;
  readonly workerId: string | undefined;

  constructor(code: ProcwireErrorCode, message: string, details: ProcwireErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.childId = details.childId;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.stderrTail = details.stderrTail;
    this.workerId = details.workerId;
  }
}

/** True when `error` is a ProcwireError, optionally with the given code. */
export function isProcwireError(error: unknown, code?: ProcwireErrorCode): error is ProcwireError {
  return error instanceof ProcwireError && (code === undefined || error.code === code);
}
