import { connect } from 'node:net';
import { ControlRequestError } from './control-request-error.js';
import { type Answer, parseAnswer } from './parse-answer.js';

/** Options of one request. */
export interface RequestOptions {
  /** Give up (a ControlRequestError with code TIMEOUT) after this long. Default: never. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Sends one bodiless HTTP/1.1 request on a connection of its own to a Unix socket (or named
 * pipe), with `Connection: close`, and resolves with the answer once the server has closed.
 * Rejects with a ControlRequestError of status 0 when the socket cannot be reached, the answer
 * is cut off or is not HTTP, on timeout (TIMEOUT) or abort (ABORT_ERR).
 *
 * Not node:http: a CLI verb makes one such request, and loading http's client, its agent and its
 * parser cost ~12 ms of CPU of a verb's start (on a Node start of ~120), more than all the rest
 * of the verb. Answers of the control API are small JSON with a Content-Length.
 */
export function requestOnce(socketPath: string, method: string, path: string, options: RequestOptions = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const fail = (code: string, message: string): void => {
      socket.destroy();
      reject(new ControlRequestError(0, code, message));
    };
    if (options.signal?.aborted) {
      return reject(new ControlRequestError(0, 'ABORT_ERR', 'The operation was aborted'));
    }
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    const onAbort = (): void => fail('ABORT_ERR', 'The operation was aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('close', () => options.signal?.removeEventListener('abort', onAbort));
    if (options.timeoutMs !== undefined) {
      socket.setTimeout(options.timeoutMs, () =>
        fail('TIMEOUT', `no answer on ${socketPath} within ${options.timeoutMs} ms`),
      );
    }
    socket.once('connect', () => {
      const length = method === 'GET' || method === 'HEAD' ? '' : 'content-length: 0\r\n';
      const head = `${method} ${path} HTTP/1.1\r\nhost: localhost\r\naccept: application/json\r\n`;
      socket.write(`${head}${length}connection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'ERROR', error.message));
    socket.once('end', () => {
      const answer = parseAnswer(Buffer.concat(chunks));
      if (typeof answer === 'string') return fail('ECONNRESET', `${answer}, from ${socketPath} for ${method} ${path}`);
      socket.end();
      resolve(answer);
    });
  });
}
