import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { Supervisor, type SupervisorOptions, type ChildSpec, type LogEntry } from '../../src/index.js';
import { processStartTime } from '../../src/terminate/process-start.js';

/** Absolute path of a fixture program in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A spec that runs a fixture with this Node. */
export function nodeSpec(id: string, name: string, extra: Partial<ChildSpec> = {}): ChildSpec {
  return { id, command: process.execPath, args: [fixture(name), ...(extra.args ?? [])], ...withoutArgs(extra) };
}

function withoutArgs(extra: Partial<ChildSpec>): Partial<ChildSpec> {
  const { args: _args, ...rest } = extra;
  return rest;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Starts a supervisor that is shut down when the test ends, pass or fail. */
export async function startSupervisor(t: Teardown, options: SupervisorOptions = {}): Promise<Supervisor> {
  const sup = await Supervisor.start(options);
  t.teardown(() => sup.shutdown());
  return sup;
}

/**
 * A process named for good: its pid and its start time, read while it runs. A pid alone names
 * another process once reused, and on the CI machine pid_max is 32768, which the suite's
 * processes and their threads wrap every few minutes: a teardown that killed whatever had the
 * pid by then could end another test's process (a suspect when one CI run lost the Wine lane's
 * wineserver). Take it as soon as the pid is known.
 */
export interface SeenProcess {
  pid: number;
  start: string | undefined;
}

/** The process at `pid` now, by pid and start time. */
export function seeProcess(pid: number): SeenProcess {
  return { pid, start: processStartTime(pid) };
}

/** True while the process still runs as itself: the same pid with the same start time. */
export function stillRuns({ pid, start }: SeenProcess): boolean {
  return pidAlive(pid) && processStartTime(pid) === start;
}

/** SIGKILLs the process (with its group first, if `group`) only if it still runs as itself. */
export function killIfSame(seen: SeenProcess, { group = false } = {}): void {
  if (!stillRuns(seen)) return;
  const { pid } = seen;
  for (const target of group ? [-pid, pid] : [pid]) {
    try {
      process.kill(target, 'SIGKILL');
      return;
    } catch {
      // ESRCH: it ended meanwhile. EPERM on the group (it left it): the process itself still goes.
    }
  }
}

/** Kills `pid` when the test ends if it is still the process it is now (see SeenProcess). */
export function killAtTeardown(t: Teardown, pid: number): void {
  const seen = seeProcess(pid);
  t.teardown(() => killIfSame(seen));
}

/**
 * True while a process with this pid runs. A zombie (exited, not yet reaped) counts as
 * dead: an orphan is reaped by PID 1, which may take its time in a container.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    // The state is the first field after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** What `fn` throws; fails the test (by throwing) when it does not throw. */
export function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/**
 * Resolves once `check` returns true, polling every 10 ms; rejects after `timeoutMs`.
 * For facts no event announces, like another process's death.
 */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

/**
 * How long a test waits for any one event before it fails. Generous for a loaded 2-core CI,
 * yet a regression fails one test in seconds instead of a whole file at tap's timeout.
 */
export const EVENT_WAIT_MS = 20_000;

/** Settles as `promise` does, or rejects naming what did not happen within `ms`. */
export async function within<T>(promise: Promise<T>, what: string, ms: number = EVENT_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface Listenable {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/**
 * The arguments of the next `event` of `emitter` (the first that passes `filter`, if given),
 * within a deadline whose error names `what`.
 */
export function nextEvent<A extends unknown[] = unknown[]>(
  emitter: Listenable,
  event: string,
  what: string,
  options: { filter?: (...args: A) => boolean; ms?: number } = {},
): Promise<A> {
  let listener: ((...args: A) => void) | undefined;
  const seen = new Promise<A>((resolve) => {
    listener = (...args: A): void => {
      if (options.filter && !options.filter(...args)) return;
      resolve(args);
    };
    emitter.on(event, listener);
  });
  return within(seen, what, options.ms).finally(() => emitter.off(event, listener as (...args: A) => void));
}

/** Spawns a plain process that is SIGKILLed when the test ends. */
export function spawnTracked(
  t: Teardown,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Resolves with the first line a stream prints; rejects if none comes within the event deadline. */
export function firstLine(stream: NodeJS.ReadableStream, what = 'the first line of output'): Promise<string> {
  return within(readFirstLine(stream), what);
}

async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    const nl = text.indexOf('\n');
    if (nl >= 0) return text.slice(0, nl);
  }
  throw new Error(`stream ended before a full line; got ${JSON.stringify(text)}`);
}

/** Resolves with the exit code and signal of a plain child process, once its output has been read. */
export async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  if (child.exitCode !== null || child.signalCode !== null) exit = { code: child.exitCode, signal: child.signalCode };
  else {
    const [code, signal] = (await within(once(child, 'exit'), `process ${child.pid} (${child.spawnfile}) to exit`)) as [
      number | null,
      NodeJS.Signals | null,
    ];
    exit = { code, signal };
  }
  await outputRead(child, OUTPUT_AFTER_EXIT_MS);
  return exit;
}

// 'exit' can come before the last of a process's output has been read (seen under load: a
// help text was empty at the exit); its pipes close once it is. A grandchild may hold them.
const OUTPUT_AFTER_EXIT_MS = 2_000;

function outputRead(child: ChildProcess, ms: number): Promise<void> {
  const pipes = [child.stdout, child.stderr].filter((pipe) => pipe !== null);
  if (pipes.every((pipe) => pipe.destroyed || pipe.readableEnded)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Everything one child said about its life, recorded from the moment it was created. */
export interface LifeRecord {
  pids: number[];
  states: { kind: string; reason: string; at: number }[];
  restarts: { restarts: number; delayMs: number; reason: string; at: number }[];
  exits: { exitCode: number | null; signal: string | null; at: number }[];
  gaveUp: { code: string; message: string }[];
  /** Resolves when the child reaches the given state next (or at once if it is in it); rejects after `ms`. */
  reaches(kind: string, ms?: number): Promise<void>;
}

/** Records the life of every child the supervisor creates, by id. */
export function recordLives(sup: Supervisor): Map<string, LifeRecord> {
  const lives = new Map<string, LifeRecord>();
  sup.on('child', (child) => {
    const waiters: { kind: string; resolve(): void }[] = [];
    const record: LifeRecord = {
      pids: [],
      states: [],
      restarts: [],
      exits: [],
      gaveUp: [],
      reaches: (kind, ms) =>
        child.state.kind === kind
          ? Promise.resolve()
          : within(
              new Promise<void>((resolve) => waiters.push({ kind, resolve })),
              `child "${child.id}" to reach state ${kind}`,
              ms,
            ),
    };
    lives.set(child.id, record);
    child.on('state', (state) => {
      record.states.push({ kind: state.kind, reason: state.reason, at: Date.now() });
      if (state.kind === 'starting' && state.pid !== undefined) record.pids.push(state.pid);
      for (const waiter of waiters.splice(0)) {
        if (waiter.kind === state.kind) waiter.resolve();
        else waiters.push(waiter);
      }
    });
    child.on('restart', (info) => record.restarts.push({ ...info, at: Date.now() }));
    child.on('exit', (exit) => record.exits.push({ ...exit, at: Date.now() }));
    child.on('gave-up', (error) => record.gaveUp.push({ code: error.code, message: error.message }));
  });
  return lives;
}

/** Every stdout and stderr line and log entry of the supervisor's children, from now on. */
export function recordOutput(sup: Supervisor): { stdout: string[]; stderr: string[]; logs: LogEntry[] } {
  const output = { stdout: [] as string[], stderr: [] as string[], logs: [] as LogEntry[] };
  sup.on('child', (child) => {
    child.on('stdout', (line) => output.stdout.push(line));
    child.on('stderr', (line) => output.stderr.push(line));
    child.on('log', (entry) => output.logs.push(entry));
  });
  return output;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (bound, then closed). */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
