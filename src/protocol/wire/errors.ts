/**
 * Why an operation failed. One public union so that callers branch on one field, but each code
 * belongs to one layer, named here with where it is raised.
 */
export type ProcwireErrorCode =
  // A child's start, what `spawn` and `start` reject with: SPAWN_FAILED (src/child/spawn-failed.ts, for
  // spawn-process.ts and prepare-command.ts; restart/supervise.ts when a launch throws), EXITED_BEFORE_READY and
  // READY_TIMEOUT (src/child/until-ready.ts), STOPPED (src/child/launch.ts, lifecycle.ts,
  // restart/supervise.ts, src/supervisor.ts on shutdown), GAVE_UP (restart/gave-up.ts, for supervise.ts when the
  // policy gives up; src/child/lifecycle.ts when an event listener of the application's throws).
  | 'SPAWN_FAILED'
  | 'EXITED_BEFORE_READY'
  | 'READY_TIMEOUT'
  | 'STOPPED'
  | 'GAVE_UP'
  // A dependency (spec.dependsOn) failed or ended for good while the child waited for it
  // (src/depends/wait.ts; src/supervisor.ts for one that is gone); the child is `failed` and never spawned.
  | 'DEPENDENCY_FAILED'
  // A ready run failed spec.health's checks `failures` times in a row and is being stopped and
  // restarted under its policy (raised in src/child/lifecycle.ts on what src/child/health-watch.ts
  // saw); the cause of a GAVE_UP that follows.
  | 'UNHEALTHY'
  // A child's pinned runtime (spec.runtime) could not be chosen (src/toolchain/not-found.ts, for
  // src/child/prepare-command.ts before the spawn): never retried.
  | 'TOOLCHAIN_NOT_FOUND'
  // Options and ids refused up front (src/supervisor.ts, src/depends/graph.ts, src/cli/config.ts).
  | 'INVALID_SPEC'
  // The wire (src/protocol/wire/frame-parser.ts, frame-channel.ts, validate.ts), the checks on
  // reserved methods and per-child caps (src/child/child-connection.ts, child-limits.ts), the
  // handshake on the child's side (child-sdk/connect.ts).
  | 'PROTOCOL_ERROR'
  | 'MESSAGE_TOO_LARGE'
  // Requests and waits: src/protocol/jsonrpc/rpc.ts (TIMEOUT, ABORTED), src/child/child.ts
  // (NOT_CONNECTED), src/child/wait-for-port.ts (TIMEOUT, ABORTED), src/child/lifecycle.ts
  // (TIMEOUT: a missed heartbeat), src/protocol/wire/frame-writer.ts, frame-channel.ts and
  // src/child/child-connection.ts (CONNECTION_CLOSED), src/pool/pool.ts (ABORTED).
  | 'NOT_CONNECTED'
  | 'CONNECTION_CLOSED'
  | 'TIMEOUT'
  | 'ABORTED'
  // Controls of a child: signal() with no process (src/child/lifecycle.ts).
  | 'NOT_RUNNING'
  // The child SDKs (child-sdk/connect.ts, procwire_child.py).
  | 'AUTH_FAILED'
  | 'NOT_SUPERVISED'
  // Pools (src/pool/): WORKER_DIED when a task's retries are used up (retry.ts), no live worker
  // is left (dispatch.ts), a worker ends for good (worker-children.ts) or fails to restart while
  // being recycled (pool.ts); TASK_TIMEOUT when a task outlives its timeout (retry.ts).
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
