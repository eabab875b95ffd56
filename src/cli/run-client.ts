import { existsSync } from 'node:fs';
// The client's own modules, not control/index.js: the server side (and the JSON-RPC library
// it pulls in) would add to every verb's start.
import { ControlRequestError, requestJson, streamEvents } from '../control/client.js';
import { controlSocketPath } from '../control/runtime-dir.js';
import type { SseMessage } from '../control/sse-parser.js';
import { ExitCode } from './exit-code.js';
import { formatErrorText, type ErrorText } from './error-text.js';
import { escapeControls } from './sanitize-text.js';
import type { CliIo, OptionSpec } from './verbs/verb.js';

/** The option every verb that talks to a run has. */
export const configOption = {
  config: {
    type: 'string' as const,
    value: '<file>',
    description: 'find the run of this config (default: ./procwire.config.json)',
  },
} satisfies Record<string, OptionSpec>;

/** A running `procwire run`, reached through its control socket. */
export interface RunClient {
  config: string;
  socket: string;
  get<T>(path: string): Promise<T>;
  /** A POST; aborting `signal` closes its connection (the control goes on in the run). */
  post<T>(path: string, options?: { signal?: AbortSignal }): Promise<T>;
  events(query: string, options?: { lastEventId?: string; signal?: AbortSignal }): AsyncGenerator<SseMessage>;
}

/** There is no run to talk to; the message says where procwire looked and what to do. */
export class NoRunError extends Error {}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES']);

/** The client of the run of `config` (default ./procwire.config.json). */
export async function runClient(config: string | undefined): Promise<RunClient> {
  const file = config ?? 'procwire.config.json';
  if (!existsSync(file)) {
    throw new NoRunError(
      `no procwire run found: ${file} does not exist, and a run is found by its config. ` +
        'Run this where procwire run was started, or pass --config <file>',
    );
  }
  const socket = await controlSocketPath(file);
  const reach = <T>(call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => {
      if (error instanceof ControlRequestError && error.status === 0 && UNREACHABLE.has(error.code)) {
        throw new NoRunError(
          `no procwire run is serving ${file} (nothing answers on ${socket}). Start one: procwire run ${file}`,
        );
      }
      throw error;
    });
  return {
    config: file,
    socket,
    get: (path) => reach(requestJson(socket, 'GET', path)),
    post: (path, options = {}) => reach(requestJson(socket, 'POST', path, options)),
    events: (query, options) => {
      const stream = streamEvents(socket, query, options);
      // The first step opens the connection: where there is no run, say so as the others do.
      const first = reach(stream.next());
      return (async function* () {
        const head = await first;
        if (head.done) return;
        yield head.value;
        yield* stream;
      })();
    },
  };
}

/**
 * Runs a verb's work against the run, turning what can go wrong into an exit code with one
 * line on stderr: no run, or an unknown child (2); any other failure of the API (1).
 */
export async function withRun(
  io: CliIo,
  verb: string,
  config: string | undefined,
  work: (run: RunClient) => Promise<number>,
): Promise<number> {
  try {
    return await work(await runClient(config));
  } catch (error) {
    const unknown = error instanceof ControlRequestError && error.code === 'UNKNOWN_CHILD';
    // The API's own hint names a route; here the verb that lists the children helps more.
    const message = unknown
      ? `${escapeControls(error.message.replace(/;.*$/, ''))} in the run of ${config ?? 'procwire.config.json'}; ` +
        'procwire ps lists them'
      : formatErrorText(error as Error & ErrorText);
    io.stderr.write(`procwire ${verb}: ${message}\n`);
    if (error instanceof NoRunError) return ExitCode.usage;
    if (unknown) return ExitCode.usage;
    if (error instanceof ControlRequestError || (error as NodeJS.ErrnoException).code !== undefined) {
      return ExitCode.failed;
    }
    throw error;
  }
}

/** A child id as a URL path segment. */
export function childPath(id: string, rest = ''): string {
  return `/api/children/${encodeURIComponent(id)}${rest}`;
}
