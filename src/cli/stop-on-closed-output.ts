/**
 * Calls `stop` once when `stream`'s reader has gone away (EPIPE: `procwire run | head` after
 * head has its lines), and keeps every later write to the closed pipe from throwing. A reader
 * that leaves is the user saying they have seen enough, as SIGPIPE says it to a C program; a
 * supervisor must not answer with a stack trace and orphaned children, so it stops them as it
 * does for a signal. Other stream errors are thrown, as Node would without the listener.
 */
export function stopOnClosedOutput(stream: NodeJS.WritableStream, stop: (reason: string) => void): void {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    if (closed) return;
    closed = true;
    stop('stdout was closed by its reader');
  };
  stream.on('error', onError);
}
