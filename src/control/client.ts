import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { ControlRequestError } from './control-request-error.js';
import { type RequestOptions, requestOnce } from './request-once.js';
import { parseSse, type SseMessage } from './sse-parser.js';
import type { ErrorBody } from './types.js';

export { ControlRequestError } from './control-request-error.js';
export type { RequestOptions } from './request-once.js';

/**
 * One request to a control API on a Unix socket (or named pipe); resolves with the parsed
 * JSON of a 2xx answer, rejects with a ControlRequestError carrying the API's code otherwise.
 */
export async function requestJson<T>(
  socketPath: string,
  method: 'GET' | 'POST',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const answer = await requestOnce(socketPath, method, path, options);
  const text = answer.body.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ControlRequestError(answer.status, 'BAD_ANSWER', `not JSON from ${path}: ${text.slice(0, 200)}`);
  }
  if (answer.status >= 200 && answer.status < 300) return body as T;
  const error = (body as Partial<ErrorBody>).error;
  const tail = error?.stderrTail;
  throw new ControlRequestError(
    answer.status,
    error?.code ?? 'HTTP_ERROR',
    error?.message ?? `HTTP ${answer.status} from ${path}`,
    Array.isArray(tail) && tail.every((line) => typeof line === 'string') ? tail : undefined,
  );
}

// An event stream is read as it comes, which node:http does well; it is loaded when a stream
// opens (logs -f, wait), not with this module, for the verbs' start (see request-once.ts).
async function openStream(socketPath: string, path: string, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    // A connection of its own rather than the global agent's: the agent looks at the host for a
    // TLS server name (net.isIP), and compiling its IPv6 pattern costs ~11 ms.
    const req = request({
      method: 'GET',
      path,
      headers: { accept: 'text/event-stream' },
      signal,
      createConnection: () => connect(socketPath),
    });
    req.once('response', resolve);
    req.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ControlRequestError(0, error.code ?? 'ERROR', error.message)),
    );
    req.end();
  });
}

/** The whole of an answer that is not a stream (the error a stream was refused with). */
function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
    });
    res.once('end', () => resolve(text));
    const cut = (error?: NodeJS.ErrnoException): void =>
      reject(
        new ControlRequestError(
          0,
          error?.code ?? 'ECONNRESET',
          `the answer was cut off (${error?.message ?? 'closed'})`,
        ),
      );
    res.once('error', cut);
    res.once('close', () => {
      if (!res.complete) cut();
    });
  });
}

/**
 * The events of `GET /api/events` (with `query`, e.g. `child=web&types=output`), resuming
 * after `lastEventId` when given, until the stream ends or `signal` aborts.
 */
export async function* streamEvents(
  socketPath: string,
  query: string,
  options: { lastEventId?: string; signal?: AbortSignal } = {},
): AsyncGenerator<SseMessage> {
  const params = new URLSearchParams(query);
  if (options.lastEventId !== undefined) params.set('lastEventId', options.lastEventId);
  const res = await openStream(socketPath, `/api/events?${params}`, options.signal);
  if (res.statusCode !== 200) {
    const text = await readText(res);
    const error = (JSON.parse(text) as Partial<ErrorBody>).error;
    throw new ControlRequestError(res.statusCode ?? 0, error?.code ?? 'HTTP_ERROR', error?.message ?? text);
  }
  res.setEncoding('utf8');
  try {
    yield* parseSse(res as AsyncIterable<string>);
  } catch (error) {
    if (options.signal?.aborted) return;
    throw error;
  }
}
