import { Env, ProcwireError } from '../protocol/index.js';
import type { Expectation } from '../endpoint/index.js';
import { describeReady, watchReady } from '../probe/index.js';
import type { ExitInfo } from '../terminate/stop-result.js';
import { ChildConnection } from './child-connection.js';
import { HeartbeatWatch } from './heartbeat.js';
import type { RunHooks } from './run-hooks.js';
import type { Run } from './run.js';
import type { ResolvedSpec } from './spec.js';

/** What the wait for one run's readiness works with. */
export interface ReadyWait {
  spec: ResolvedSpec;
  hooks: Pick<RunHooks, 'connection' | 'hung' | 'signals' | 'ports'>;
  run: Run;
  /** The endpoint's wait for this run's hello; undefined for `connect: 'none'`. */
  expectation: Expectation | undefined;
}

/**
 * Resolves when the run is ready as `spec.readyWhen` says (src/probe/): by default at once
 * for `connect: 'none'`, else when its connection is accepted and says `procwire/ready`;
 * or at the end of its first watch cycle, or when an output line matches. Rejects with
 * READY_TIMEOUT after `readyTimeout` (naming what it waited for; sooner when that can no longer
 * happen, as when a slow readiness regexp was switched off), EXITED_BEFORE_READY (with the
 * exit and the stderr tail), STOPPED when `aborted` fires, or the run's verdict
 * (PROTOCOL_ERROR, MESSAGE_TOO_LARGE, a missed heartbeat's TIMEOUT).
 * Gives the accepted connection its hooks and the run its heartbeat watch.
 */
export async function untilReady(wait: ReadyWait, aborted: AbortSignal): Promise<void> {
  const { spec, run, expectation, hooks } = wait;
  const fail = (code: ProcwireError['code'], what: string, extra: Partial<ProcwireError> = {}): ProcwireError =>
    new ProcwireError(code, `child "${spec.id}" ${what}`, { childId: spec.id, ...extra });
  const cleanups: (() => void)[] = [];
  let settled = false;
  cleanups.push(() => {
    settled = true;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let lastResult: string | undefined;
      const timer = setTimeout(
        () => reject(readyTimeout(spec, run, expectation, fail, lastResult)),
        spec.readyTimeoutMs,
      );
      cleanups.push(() => clearTimeout(timer));
      const onAbort = (): void => reject(fail('STOPPED', 'was stopped before it became ready'));
      if (aborted.aborted) onAbort();
      aborted.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => aborted.removeEventListener('abort', onAbort));
      // A run judged broken before ready (it broke the protocol, or hung) ends this start with
      // the verdict; a connection merely lost ends it with the exit that follows.
      void run.condemned.then((failure) => reject(failure.error));
      void run.handle.exited.then(async (exit) => {
        await run.handle.drained;
        if (!settled) await readLastWords(run, expectation, aborted);
        if (!settled) reject(exitedBeforeReady(spec, run, exit, expectation, fail));
      });
      let connectionReady!: () => void;
      const signals = {
        ...hooks.signals,
        ...hooks.ports,
        note: (result: string) => {
          lastResult = result;
        },
        giveUp: (reason: string) =>
          reject(fail('READY_TIMEOUT', `was not ready: it waited for ${describeReady(spec.readyWhen)}, but ${reason}`)),
        connectionReady: new Promise<void>((ready) => {
          connectionReady = ready;
        }),
      };
      let ready = false;
      cleanups.push(
        watchReady(spec.readyWhen, signals, () => {
          ready = true;
          resolve();
        }),
      );
      // A child that connects is given its connection whatever its readiness waits for, even
      // after it became ready another way; only a start that failed refuses it.
      void expectation?.connected.then((accepted) => {
        if (settled && !ready) {
          accepted.channel.socket.destroy();
          return;
        }
        const connection = new ChildConnection(spec.id, accepted, hooks.connection(run), {
          writeBacklog: spec.limits.writeBacklog,
        });
        run.connection = connection;
        void connection.ready.then(() => connectionReady());
        if (spec.heartbeatMs > 0) {
          const watch = new HeartbeatWatch(
            spec.heartbeatMs,
            () => hooks.hung(run),
            () => connection.settled(),
          );
          run.heartbeat = watch;
          connection.onHeartbeat(() => watch.beat());
        }
        connection.closedSignal.addEventListener('abort', () => run.heartbeat?.stop());
      });
    });
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

// How long an exit waits for the frames its process wrote before it (see readLastWords).
const LAST_WORDS_MS = 500;
const LAST_WORDS_POLL_MS = 5;

/**
 * A child may say ready and exit at once, and its exit can be seen before its last frames are
 * read: on Windows a pipe's data and a process's exit are reported apart, in either order. So
 * before a start is judged "exited before ready", what the process wrote is read: its
 * connection to the end of file (its end closed with it) and handled, or, while it has none yet,
 * any hello still in flight. Bounded, because a grandchild may hold the socket open; a child
 * that never connected costs one short poll.
 */
async function readLastWords(run: Run, expectation: Expectation | undefined, aborted: AbortSignal): Promise<void> {
  if (expectation === undefined) return;
  const giveUpAt = Date.now() + LAST_WORDS_MS;
  for (;;) {
    // A timer, not setImmediate: an accept, a read and the hello's turn each need the loop to
    // poll; then setImmediate, so that what arrived during a stall of the loop is read first.
    await new Promise((resolve) => setTimeout(() => setImmediate(resolve), LAST_WORDS_POLL_MS));
    const connection = run.connection;
    if (connection?.closedSignal.aborted) {
      // What it wrote before the end of file is handled in its queue's turns, bounded as the rest.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((resolve) => {
        timer = setTimeout(resolve, Math.max(0, giveUpAt - Date.now()));
      });
      try {
        await Promise.race([connection.settled(), late]);
      } finally {
        clearTimeout(timer);
      }
      return;
    }
    if (aborted.aborted || Date.now() >= giveUpAt) return;
    if (connection === undefined && !expectation.helloPending) return;
  }
}

type Fail = (code: ProcwireError['code'], what: string, extra?: Partial<ProcwireError>) => ProcwireError;

function readyTimeout(
  spec: ResolvedSpec,
  run: Run,
  expectation: Expectation | undefined,
  fail: Fail,
  lastResult: string | undefined,
): ProcwireError {
  const connected = run.connection !== undefined;
  if (spec.readyWhen.kind !== 'connect') {
    const last = lastResult === undefined ? '' : ` (last result: ${lastResult})`;
    return fail(
      'READY_TIMEOUT',
      `was not ready within ${spec.readyTimeoutMs / 1000} s: it waited for ${describeReady(spec.readyWhen)}${last}. ` +
        'Raise readyTimeout if it needs longer',
    );
  }
  const why =
    expectation?.lastRejection !== undefined
      ? ` (${expectation.lastRejection})`
      : connected
        ? ': it connected but never sent procwire/ready; call ready() in the child'
        : spec.connect === 'required'
          ? `: it never connected; check that it uses procwire/child and reads ${Env.socket}`
          : '';
  return fail(
    'READY_TIMEOUT',
    `was not ready within ${spec.readyTimeoutMs / 1000} s${why}. Raise readyTimeout if it needs longer`,
  );
}

function exitedBeforeReady(
  spec: ResolvedSpec,
  run: Run,
  exit: ExitInfo,
  expectation: Expectation | undefined,
  fail: Fail,
): ProcwireError {
  const tail = run.handle.stderrTail.lines;
  const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  const rejection = expectation?.lastRejection !== undefined ? ` (${expectation.lastRejection})` : '';
  const stderr =
    tail.length > 0
      ? `; last stderr lines:\n  ${tail.join('\n  ')}`
      : spec.stdio === 'pipe'
        ? '; it wrote nothing to stderr'
        : `; its stderr is not captured with stdio '${spec.stdio}'`;
  return fail('EXITED_BEFORE_READY', `${how} before it was ready${rejection}${stderr}`, {
    exitCode: exit.exitCode,
    signal: exit.signal,
    stderrTail: tail,
  });
}
