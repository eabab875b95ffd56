import { spawn, type ChildProcess } from 'node:child_process';
import { Env } from '../protocol/index.js';
import type { ExitInfo } from '../terminate/stop-result.js';
import type { ResolvedSpec } from './spec.js';
import { LineTail, readLines } from './lines.js';
import { spawnFailed } from './spawn-failed.js';

/** One spawned process of a child: a run. The pid is advisory once the process has exited. */
export interface ProcessHandle {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves once, on the process's exit. */
  readonly exited: Promise<ExitInfo>;
  /** Resolves after exit once stdout and stderr are drained, or shortly after exit if they stay open. */
  readonly drained: Promise<void>;
  readonly stderrTail: LineTail;
}

/** Where a run's output lines go. */
export interface OutputSinks {
  stdout(line: string): void;
  stderr(line: string): void;
  /** The same lines as printed: each pipe read's whole lines at once, after their line events (see readLines). */
  read?(text: string, end: number): void;
}

// A grandchild may hold the pipes (or the connection) open after the child exits; do not
// wait for them longer.
export const DRAIN_AFTER_EXIT_MS = 250;
const STDERR_TAIL_LINES = 20;

/**
 * Spawns `command` (the spec's, as prepare-command.ts resolved it) as a process-group leader
 * (so a stop reaches its whole tree) with `extraEnv` over the parent's environment and
 * `spec.env`. Resolves once the OS has started it; rejects with SPAWN_FAILED (the command and
 * the OS error in the message) otherwise.
 */
export function spawnProcess(
  spec: ResolvedSpec,
  extraEnv: Record<string, string>,
  sinks: OutputSinks,
  command: string = spec.command,
  argsBefore: readonly string[] = [],
): Promise<ProcessHandle> {
  const out = spec.stdio === 'pipe' ? 'pipe' : spec.stdio;
  let child: ChildProcess;
  try {
    child = spawn(command, [...argsBefore, ...spec.args], {
      cwd: spec.cwd,
      env: { ...inheritedEnv(), ...spec.env, ...extraEnv },
      // A separate group (and session) per child: signals to the group reach the child's
      // own subprocesses, and a Ctrl-C in the parent's terminal is ours to forward.
      detached: process.platform !== 'win32',
      // stdin is never shared: a child in its own session reading the parent's terminal
      // would stop with SIGTTIN or read EIO.
      stdio: ['ignore', out, out],
      windowsHide: true,
    });
  } catch (cause) {
    return Promise.reject(spawnFailed(spec, command, cause));
  }
  const stderrTail = new LineTail(STDERR_TAIL_LINES);
  if (child.stdout) readLines(child.stdout, sinks.stdout, sinks.read);
  if (child.stderr) {
    const onLine = (line: string): void => {
      stderrTail.push(line);
      sinks.stderr(line);
    };
    readLines(child.stderr, onLine, sinks.read);
  }
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  const drained = exited.then(
    () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_AFTER_EXIT_MS);
        child.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        if (child.stdout === null && child.stderr === null) resolve();
      }),
  );
  return new Promise((resolve, reject) => {
    child.once('error', (cause) => {
      // 'error' without 'spawn' means the OS never started it; later errors (a failed
      // kill) do not change how the run ends and are ignored.
      if (child.pid === undefined) reject(spawnFailed(spec, command, cause));
    });
    child.once('spawn', () => {
      resolve({ pid: child.pid as number, process: child, exited, drained, stderrTail });
    });
  });
}

/**
 * The parent's environment without procwire's own variables: a parent that is itself a
 * supervised child must not hand its socket and id to children that are not its own.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.values(Env)) delete env[name];
  return env;
}
