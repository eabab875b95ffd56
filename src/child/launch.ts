import { Env, ProcwireError } from '../protocol/index.js';
import { makeToken, type Endpoint, type Expectation } from '../endpoint/index.js';
import type { ExitInfo } from '../terminate/stop-result.js';
import { ChildConnection, type ConnectionHooks } from './child-connection.js';
import { HeartbeatWatch } from './heartbeat.js';
import { terminateRun, type Run } from './run.js';
import { spawnProcess, type OutputSinks } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';
import type { ReleaseSlot, StartGate } from './start-gate.js';

/** What a launch needs from its child. */
export interface LaunchContext {
  spec: ResolvedSpec;
  endpoint: Endpoint;
  /** The supervisor's limit on children between spawn and ready. */
  gate: StartGate;
  output: OutputSinks;
  /** Called once the process exists, before it is ready. */
  spawned(run: Run): void;
  /** The child's handlers for what this run's connection says (all but `ready`). */
  connectionHooks(run: Run): Omit<ConnectionHooks, 'ready' | 'heartbeat'>;
  /** The run stopped sending heartbeats. */
  hung(run: Run): void;
}

/**
 * Takes a start slot from the gate, then spawns one process of the child and resolves with
 * its Run once it is ready (connected, hello, `procwire/ready`; for `connect: 'none'`,
 * spawned). `readyTimeout` counts from the spawn, so time spent queued for a slot is not
 * held against the child. The slot is given back at ready, or as soon as the start has
 * failed. Rejects with a ProcwireError — SPAWN_FAILED, EXITED_BEFORE_READY, READY_TIMEOUT,
 * PROTOCOL_ERROR, MESSAGE_TOO_LARGE, or STOPPED when `aborted` fires (while queued: nothing
 * was spawned) — and only after the process is gone.
 */
export async function launch(context: LaunchContext, aborted: AbortSignal): Promise<Run> {
  const release = await takeSlot(context, aborted);
  try {
    return await spawnUntilReady(context, aborted, release);
  } finally {
    release();
  }
}

async function takeSlot(context: LaunchContext, aborted: AbortSignal): Promise<ReleaseSlot> {
  const stopped = (): ProcwireError =>
    new ProcwireError(
      'STOPPED',
      `child "${context.spec.id}" was stopped while waiting for a start slot; it was never spawned`,
      {
        childId: context.spec.id,
      },
    );
  let release: ReleaseSlot;
  try {
    release = await context.gate.acquire(aborted);
  } catch {
    // Only an abort ends the wait.
    throw stopped();
  }
  // A stop that came while the grant was on its way must not spawn a process only to kill it.
  if (aborted.aborted) {
    release();
    throw stopped();
  }
  return release;
}

async function spawnUntilReady(context: LaunchContext, aborted: AbortSignal, release: ReleaseSlot): Promise<Run> {
  const { spec, endpoint } = context;
  const token = makeToken();
  const expectation = spec.connect === 'required' ? endpoint.expect(spec.id, token, spec.heartbeatMs) : undefined;
  // A plain child gets no PROCWIRE_* at all, so it cannot mistake itself for a connected one.
  let run: Run;
  try {
    const env: Record<string, string> = expectation
      ? { [Env.socket]: endpoint.address, [Env.id]: spec.id, [Env.token]: token }
      : {};
    const handle = await spawnProcess(spec, env, context.output);
    run = { handle, connection: undefined, heartbeat: undefined, termination: undefined, failure: undefined };
  } catch (error) {
    expectation?.cancel();
    throw error;
  }
  context.spawned(run);
  try {
    await untilReady(context, run, expectation, aborted);
    return run;
  } catch (error) {
    // Ending a failed start can take two stopTimeouts; the starts queued behind it need not wait.
    release();
    expectation?.cancel();
    const stopped = error instanceof ProcwireError && error.code === 'STOPPED';
    // A start cancelled by a stop is asked politely first; a failed one gets signals.
    await terminateRun(
      run,
      spec,
      stopped && run.connection !== undefined && !run.connection.closedSignal.aborted ? 'shutdown' : 'signal',
    );
    throw error;
  }
}

async function untilReady(
  context: LaunchContext,
  run: Run,
  expectation: Expectation | undefined,
  aborted: AbortSignal,
): Promise<void> {
  const { spec } = context;
  const fail = (code: ProcwireError['code'], what: string, extra: Partial<ProcwireError> = {}): ProcwireError =>
    new ProcwireError(code, `child "${spec.id}" ${what}`, { childId: spec.id, ...extra });
  const cleanups: (() => void)[] = [];
  let settled = false;
  cleanups.push(() => {
    settled = true;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(readyTimeout(spec, run, expectation, fail)), spec.readyTimeoutMs);
      cleanups.push(() => clearTimeout(timer));
      const onAbort = (): void => reject(fail('STOPPED', 'was stopped before it became ready'));
      if (aborted.aborted) onAbort();
      aborted.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => aborted.removeEventListener('abort', onAbort));
      void run.handle.exited.then(async (exit) => {
        await run.handle.drained;
        if (!settled) reject(exitedBeforeReady(spec, run, exit, expectation, fail));
      });
      if (expectation === undefined) {
        resolve();
        return;
      }
      void expectation.connected.then((accepted) => {
        if (settled) {
          accepted.channel.socket.destroy();
          return;
        }
        const hooks = {
          ...context.connectionHooks(run),
          ready: () => {
            if (!settled) resolve();
          },
          heartbeat: () => run.heartbeat?.beat(),
        };
        const connection = new ChildConnection(spec.id, accepted, hooks, { writeBacklog: spec.limits.writeBacklog });
        run.connection = connection;
        if (spec.heartbeatMs > 0) {
          run.heartbeat = new HeartbeatWatch(
            spec.heartbeatMs,
            () => context.hung(run),
            () => connection.settled(),
          );
        }
        connection.closedSignal.addEventListener('abort', () => {
          run.heartbeat?.stop();
          // A connection lost before ready ends this start; a broken protocol says why,
          // otherwise the exit that follows does.
          if (run.failure && !settled) reject(run.failure.error);
        });
      });
    });
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

type Fail = (code: ProcwireError['code'], what: string, extra?: Partial<ProcwireError>) => ProcwireError;

function readyTimeout(spec: ResolvedSpec, run: Run, expectation: Expectation | undefined, fail: Fail): ProcwireError {
  const connected = run.connection !== undefined;
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
