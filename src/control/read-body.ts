import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Reads a request's body, at most `maxBytes` of it. A body declared or found larger is an
 * HttpError 413 at once (after at most `maxBytes` read), and the connection is marked to
 * close, so the rest is never read or kept: a client cannot make the API hold more.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(`${declared} bytes`, maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Paused, not destroyed: the 413 must still reach the client before the connection closes.
      stop();
      req.pause();
      reject(tooLarge(`more than ${maxBytes} bytes`, maxBytes));
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(what: string, maxBytes: number): HttpError {
  return new HttpError(
    413,
    'BODY_TOO_LARGE',
    `the request body is ${what}; the control API takes at most ${maxBytes} bytes`,
    { connection: 'close' },
  );
}
