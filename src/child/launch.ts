import { Env, ProcwireError } from '../protocol/index.js';
import { makeToken, type Endpoint } from '../endpoint/index.js';
import { prepareCommand, type PreparedCommand } from './prepare-command.js';
import { Run, terminateRun } from './run.js';
import type { RunHooks } from './run-hooks.js';
import { spawnProcess } from './spawn-process.js';
import type { ResolvedSpec } from './spec.js';
import type { ReleaseSlot, StartGate } from './start-gate.js';
import { untilReady } from './until-ready.js';

/** What a launch needs: the spec, where children connect, the start gate, and the hooks. */
export interface LaunchContext {
  spec: ResolvedSpec;
  endpoint: Endpoint;
  /** The supervisor's limit on children between spawn and ready. */
  gate: StartGate;
  hooks: RunHooks;
}

/**
 * Resolves the spec's runtime and command (prepare-command.ts), takes a start slot from the
 * gate, then spawns one process of the child and resolves with its Run once it is ready
 * (connected, hello, `procwire/ready`; for `connect: 'none'`, spawned). `readyTimeout` counts
 * from the spawn, so time spent queued for a slot is not held against the child. The slot is
 * given back at ready, or as soon as the start has failed. Rejects with a ProcwireError —
 * TOOLCHAIN_NOT_FOUND or SPAWN_FAILED for a command not found (before taking a slot),
 * SPAWN_FAILED, EXITED_BEFORE_READY, READY_TIMEOUT, PROTOCOL_ERROR, MESSAGE_TOO_LARGE, or
 * STOPPED when `aborted` fires (while queued: nothing was spawned) — and only after the
 * process is gone.
 */
export async function launch(context: LaunchContext, aborted: AbortSignal): Promise<Run> {
  const prepared = prepareCommand(context.spec);
  context.hooks.resolved(prepared.runtime);
  const release = await takeSlot(context, aborted);
  try {
    return await spawnUntilReady(context, prepared, aborted, release);
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

async function spawnUntilReady(
  context: LaunchContext,
  prepared: PreparedCommand,
  aborted: AbortSignal,
  release: ReleaseSlot,
): Promise<Run> {
  const { spec, endpoint } = context;
  const token = makeToken();
  const expectation = spec.connect === 'required' ? endpoint.expect(spec.id, token, spec.heartbeatMs) : undefined;
  // A plain child gets no PROCWIRE_* at all, so it cannot mistake itself for a connected one.
  let run: Run;
  try {
    const env: Record<string, string> = expectation
      ? { ...prepared.env, [Env.socket]: endpoint.address, [Env.id]: spec.id, [Env.token]: token }
      : prepared.env;
    run = new Run(await spawnProcess(spec, env, context.hooks.output, prepared.command, prepared.argsBefore));
  } catch (error) {
    expectation?.cancel();
    throw error;
  }
  context.hooks.spawned(run);
  try {
    await untilReady({ spec, hooks: context.hooks, run, expectation }, aborted);
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
