/**
 * Why an operation failed. One public union so that callers branch on one field, but each code
 * belongs to one layer, named here with where it is raised.
 */
export type ProcwireErrorCode =
  // A child's start (src/child/launch.ts, spawn-process.ts; restart/supervise.ts for GAVE_UP):
  // what `spawn` and `start` reject with.
  | 'SPAWN_FAILED'
  | 'EXITED_BEFORE_READY'
  | 'READY_TIMEOUT'
  | 'STOPPED'
  | 'GAVE_UP'
  // A dependency (spec.dependsOn) failed or ended for good while the child waited for it
  // (src/depends/wait.ts); the child is `failed` and never spawned.
  | 'DEPENDENCY_FAILED'
  // A ready run failed spec.health's checks `failures` times in a row and is being stopped and
  // restarted under its policy (src/child/health-watch.ts); the cause of a GAVE_UP that follows.
  | 'UNHEALTHY'
  // A child's pinned runtime (spec.runtime) could not be chosen (src/toolchain/resolve-runtime.ts,
  // called by src/child/prepare-command.ts before the spawn): never retried.
  | 'TOOLCHAIN_NOT_FOUND'
  // Options and ids refused up front (src/supervisor.ts, src/child/).
  | 'INVALID_SPEC'
  // The wire (src/protocol/wire/frame-parser.ts, frame-channel.ts) and the checks on reserved
  // methods and per-child caps (src/child/child-connection.ts, child-limits.ts).
  | 'PROTOCOL_ERROR'
  | 'MESSAGE_TOO_LARGE'
  // Requests and waits (src/protocol/jsonrpc/rpc.ts, src/child/wait-for-port.ts).
  | 'NOT_CONNECTED'
  | 'CONNECTION_CLOSED'
  | 'TIMEOUT'
  | 'ABORTED'
  // Controls of a child (src/child/child.ts: signal() with no process).
  | 'NOT_RUNNING'
  // The child SDKs (child-sdk/connect.ts, procwire_child.py).
  | 'AUTH_FAILED'
  | 'NOT_SUPERVISED'
  // Pools: a task's retries used up (src/pool/retry.ts), no live worker left (src/pool/dispatch.ts).
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
