import type { Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { killIfSame, seeProcess, type SeenProcess, within } from '../helpers/index.js';

/** The built CLI, as `npx procwire` runs it (package.json's bin). */
export const cli = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

/** A directory removed when the test ends. */
export function tempDir(t: Test, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a config file into a temp directory removed when the test ends; returns its path. */
export function writeConfig(t: Test, children: unknown): string {
  const file = join(tempDir(t, 'procwire-cli-'), 'procwire.config.json');
  writeFileSync(file, JSON.stringify(children, null, 2));
  return file;
}

/** The environment without colour settings (so output is exactly what a pipe gets), plus `extra`. */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return { ...env, ...extra };
}

// A status line of the line reporter that names a child's pid, e.g. "web      | running (pid 42): ready".
const STATUS_PID = /^\S+\s+\| (?:starting|running|stopping) \(pid (\d+)\)/;

/** A `procwire` command run by a test, and what it printed. */
export interface CliRun {
  proc: ChildProcess;
  /** stdout, split into lines as they arrive. */
  lines: string[];
  /** The first line matching `pattern`, printed already or within the event deadline; rejects at once if the CLI ended without it. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  bytes(): Buffer;
  stderr(): string;
  /** The `$XDG_RUNTIME_DIR` the run was given, so its socket directory is one the test can find. */
  runtimeDir: string;
  /** SIGKILLs the CLI if it still runs, then the groups of the children whose pids it printed, then removes the runtime dir. */
  cleanup(): Promise<void>;
}

/**
 * Runs the CLI with piped stdio, colour settings removed (then `env` added) and its own
 * `$XDG_RUNTIME_DIR`. Whatever the test does, teardown leaves nothing behind: a SIGKILLed run
 * cannot remove its socket directory or stop its plain children, so `cleanup` does. `user`:
 * a uid (and gid) to run it as, when the test runs as root.
 */
export function runCli(
  t: Test,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; withoutTapPreload?: boolean; user?: number } = {},
): CliRun {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'procwire-cli-run-'));
  // Run as another user (the test runs as root): the runtime dir must be that user's.
  if (options.user !== undefined) chownSync(runtimeDir, options.user, options.user);
  const env = plainEnv({ XDG_RUNTIME_DIR: runtimeDir, ...options.env });
  // Through env(1), the CLI and its children are free of any preload in NODE_OPTIONS (an older
  // Node cannot load tap's or tsx's; test/setup/without-tap-spawn-hook.mjs removes tap's already).
  const [command, argv] = options.withoutTapPreload
    ? ['env', ['-u', 'NODE_OPTIONS', process.execPath, cli, ...args]]
    : [process.execPath, [cli, ...args]];
  const user = options.user === undefined ? {} : { uid: options.user, gid: options.user };
  const proc = spawn(command, argv, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], ...user });
  const lines: string[] = [];
  const chunks: Buffer[] = [];
  // Each child as first printed, by pid and start time (see SeenProcess).
  const children = new Map<number, SeenProcess>();
  const waiters: { pattern: RegExp; resolve(match: RegExpMatchArray): void; reject(error: Error): void }[] = [];
  let buffer = '';
  let stderr = '';
  let closed = false;
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  proc.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      const pid = Number(stripVTControlCharacters(line).match(STATUS_PID)?.[1]);
      if (pid > 1 && !children.has(pid)) children.set(pid, seeProcess(pid));
      for (const waiter of [...waiters]) {
        const match = line.match(waiter.pattern);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    }
  });
  const printed = (): string =>
    `its last stdout lines:\n${lines.slice(-30).join('\n')}\nstderr:\n${stderr.slice(-2000)}`;
  const ended = (pattern: RegExp): Error =>
    new Error(`procwire ended without printing a line matching ${pattern}; ${printed()}`);
  proc.on('close', () => {
    closed = true;
    for (const waiter of waiters.splice(0)) waiter.reject(ended(waiter.pattern));
  });
  const waitFor = (pattern: RegExp): Promise<RegExpMatchArray> => {
    const seen = lines.map((line) => line.match(pattern)).find(Boolean);
    if (seen) return Promise.resolve(seen);
    if (closed) return Promise.reject(ended(pattern));
    const next = new Promise<RegExpMatchArray>((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    return within(next, `procwire to print a line matching ${pattern}`).catch((error: Error) => {
      throw new Error(`${error.message}; ${printed()}`);
    });
  };
  const cleanup = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await within(once(proc, 'exit'), `the SIGKILLed procwire (pid ${proc.pid}) to exit`);
    }
    // Children are group leaders; the group takes a plain child's own subprocesses too.
    for (const child of children.values()) killIfSame(child, { group: true });
    rmSync(runtimeDir, { recursive: true, force: true });
  };
  t.teardown(cleanup);
  return { proc, lines, waitFor, bytes: () => Buffer.concat(chunks), stderr: () => stderr, runtimeDir, cleanup };
}
