import { ProcwireError } from '../protocol/index.js';
import type { ExitInfo } from '../terminate/stop-result.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { gaveUpError } from './gave-up.js';
import { wantsRestart, type RestartMode, type RunOutcome } from './policy.js';
import type { RestartWindow } from './restart-window.js';

/** What the restart loop drives: one child's launches, waits and reports. */
export interface SupervisionHost<R> {
  readonly id: string;
  readonly restart: RestartMode;
  readonly maxRestarts: number;
  readonly restartWindowMs: number;
  readonly backoff: BackoffOptions;
  readonly window: RestartWindow;
  /** Starts one run; resolves when it is ready, rejects (process gone) when it is not. */
  launch(aborted: AbortSignal): Promise<R>;
  /** Resolves with how a ready run ended, or undefined if `aborted` fired first. */
  watch(run: R, aborted: AbortSignal): Promise<RunOutcome | undefined>;
  ready(run: R): void;
  /** The child ended and its policy does not restart it. */
  ended(outcome: RunOutcome, error: ProcwireError | undefined): void;
  /** A restart is granted and will happen after `delayMs`. */
  backingOff(delayMs: number, outcome: RunOutcome, error: ProcwireError | undefined): void;
  /** The restart limit is reached. */
  gaveUp(error: ProcwireError): void;
}

/**
 * Keeps a child running under its restart policy until the policy lets it end, the limit
 * is reached, or `aborted` fires (a stop). `firstReady` settles once: resolved at the first
 * ready, or rejected with why the child never got there (the start error under `never`,
 * GAVE_UP at the limit, STOPPED when aborted).
 */
export async function supervise<R>(
  host: SupervisionHost<R>,
  aborted: AbortSignal,
  firstReady: { resolve(): void; reject(error: ProcwireError): void },
): Promise<void> {
  let everReady = false;
  const settle = (error: ProcwireError): void => {
    if (!everReady) firstReady.reject(error);
  };
  for (;;) {
    let outcome: RunOutcome | undefined;
    let error: ProcwireError | undefined;
    try {
      const run = await host.launch(aborted);
      host.ready(run);
      if (!everReady) {
        everReady = true;
        firstReady.resolve();
      }
      outcome = await host.watch(run, aborted);
    } catch (caught) {
      error =
        caught instanceof ProcwireError
          ? caught
          : new ProcwireError('SPAWN_FAILED', String(caught), { childId: host.id, cause: caught });
      if (error.code === 'STOPPED' || aborted.aborted) return settle(stoppedError(host.id, error));
      if (!retryable(error)) {
        host.ended({ kind: 'start-failed', exit: undefined }, error);
        return settle(error);
      }
      outcome = { kind: 'start-failed', exit: exitFromError(error) };
    }
    if (outcome === undefined || aborted.aborted) return settle(stoppedError(host.id, error));
    if (!wantsRestart(host.restart, outcome)) {
      host.ended(outcome, error);
      return error ? settle(error) : undefined;
    }
    const recent = host.window.recent();
    if (!host.window.tryTake()) {
      const gaveUp = gaveUpError(host, outcome, error);
      host.gaveUp(gaveUp);
      return settle(gaveUp);
    }
    const delayMs = backoffDelay(host.backoff, recent);
    host.backingOff(delayMs, outcome, error);
    if (!(await sleep(delayMs, aborted))) return settle(stoppedError(host.id, error));
  }
}

/** A command that cannot be started (or a pinned runtime that is not installed) will not start on a retry either. */
function retryable(error: ProcwireError): boolean {
  // A dependency that failed for good will not come back by retrying the dependent.
  if (error.code === 'DEPENDENCY_FAILED') return false;
  if (error.code === 'TOOLCHAIN_NOT_FOUND') return false;
  if (error.code !== 'SPAWN_FAILED') return true;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return code !== 'ENOENT' && code !== 'EACCES' && code !== 'ENOTDIR' && code !== undefined;
}

function exitFromError(error: ProcwireError): ExitInfo | undefined {
  return error.exitCode === undefined ? undefined : { exitCode: error.exitCode, signal: error.signal ?? null };
}

function stoppedError(id: string, cause: ProcwireError | undefined): ProcwireError {
  if (cause?.code === 'STOPPED') return cause;
  return new ProcwireError('STOPPED', `child "${id}" was stopped before it became ready`, { childId: id, cause });
}

/** Waits `ms`; resolves false at once if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
