// What every Windows scenario shares. Scenarios run on the registry's Windows Node under Wine
// (test/_windows/wine.test.ts); their stdout and stderr go to files, because Wine's console
// pipes make Node's stdio fail, so what they found is written as JSON to the path in argv[2]
// after every step: a scenario that hangs still leaves what it saw up to the hang.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

/** The absolute path of a fixture in test/fixtures. */
export const fixture = (name) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

/** The absolute path of a file in dist/. */
export const dist = (path) => fileURLToPath(new URL(`../../../dist/${path}`, import.meta.url));

/** Runs `steps(record)`, records `{ error }` if it throws, and always exits: no child may keep it up. */
export async function scenario(steps) {
  const results = { elapsedMs: {} };
  const started = Date.now();
  const record = (key, value) => {
    results[key] = value;
    // When each step ended: where a slow lane spends its time.
    results.elapsedMs[key] = Date.now() - started;
    writeFileSync(process.argv[2], JSON.stringify(results, null, 1));
  };
  try {
    await steps(record);
    record('finished', true);
  } catch (error) {
    record('error', String(error?.stack ?? error));
  }
  process.exit(0);
}

/** True while a process with this pid runs (signal 0 checks without signalling). */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves with the milliseconds it took once `check()` holds, polled every 25 ms: for facts no
 * event announces (a process gone). Rejects naming `what` after `ms`.
 */
export async function until(check, ms, what) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - start;
}

/** The error a promise rejects with, as { name, code, message }, or 'resolved'. */
export async function failureOf(promise) {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return { name: error?.name, code: error?.code, message: String(error?.message) };
  }
}

/**
 * The body of a GET, with node:http: under Wine, fetch (undici) fails to connect with
 * `connect UNKNOWN` where node:http works.
 */
export function getText(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
