import type { Test } from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { spawnTracked } from '../helpers/index.js';

/** The built CLI, as `npx procwire` runs it. */
export const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Writes a config file into a temp directory removed when the test ends; returns its path. */
export function writeConfig(t: Test, children: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'procwire.config.json');
  writeFileSync(file, JSON.stringify(children, null, 2));
  return file;
}

/** The environment without color settings, so output is exactly what a pipe gets. */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return { ...env, ...extra };
}

/**
 * Runs the CLI with piped stdio and collects its stdout as lines and as raw bytes;
 * `waitFor` resolves on the first line matching, and rejects if stdout ends without one.
 */
export function runCli(t: Test, args: string[], env: NodeJS.ProcessEnv = plainEnv()) {
  const proc = spawnTracked(t, process.execPath, [cli, ...args], env);
  const lines: string[] = [];
  const chunks: Buffer[] = [];
  const waiters: { pattern: RegExp; resolve(match: RegExpMatchArray): void; reject(error: Error): void }[] = [];
  let ended = false;
  let buffer = '';
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  proc.stdout!.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        const match = line.match(waiter.pattern);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    }
  });
  // A CLI that exits without printing the line fails the wait at once instead of hanging the test.
  const failWait = (pattern: RegExp): Error => new Error(`the CLI's stdout ended without a line matching ${pattern}; stderr: ${stderr}`);
  proc.stdout!.on('end', () => {
    ended = true;
    for (const waiter of waiters.splice(0)) waiter.reject(failWait(waiter.pattern));
  });
  const waitFor = (pattern: RegExp): Promise<RegExpMatchArray> => {
    const seen = lines.map((line) => line.match(pattern)).find(Boolean);
    if (seen) return Promise.resolve(seen);
    if (ended) return Promise.reject(failWait(pattern));
    return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
  };
  return { proc: proc as ChildProcess, lines, waitFor, bytes: () => Buffer.concat(chunks), stderr: () => stderr };
}
