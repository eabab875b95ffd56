/** An HTTP/1.1 answer read to its end: the status and the body, unframed. */
export interface Answer {
  status: number;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Parses the whole of what a server sent on a connection it then closed (the request said
 * `Connection: close`): the status line, the headers, and the body framed by Content-Length,
 * by chunked transfer coding, or by the close. Returns a string saying what is wrong instead
 * when the answer is not HTTP/1.x or ends before its framing says it should.
 */
export function parseAnswer(bytes: Buffer): Answer | string {
  const headEnd = bytes.indexOf(HEAD_END);
  if (headEnd === -1) return 'the answer ended inside its headers';
  const [statusLine = '', ...fields] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
  if (status === undefined) return `not an HTTP/1.1 answer: ${JSON.stringify(statusLine.slice(0, 80))}`;
  const headers = new Map<string, string>();
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon > 0) headers.set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim());
  }
  const rest = bytes.subarray(headEnd + HEAD_END.length);
  if (/(^|,)\s*chunked\s*$/i.test(headers.get('transfer-encoding') ?? '')) {
    const body = unchunk(rest);
    return typeof body === 'string' ? body : { status: Number(status), body };
  }
  const length = headers.get('content-length');
  if (length === undefined) return { status: Number(status), body: rest };
  if (!/^\d+$/.test(length)) return `a bad Content-Length: ${JSON.stringify(length)}`;
  if (rest.length < Number(length)) return `the answer was cut off (${rest.length} of ${length} bytes)`;
  return { status: Number(status), body: rest.subarray(0, Number(length)) };
}

/** The body of a chunked transfer coding (extensions and trailers skipped), or what is wrong. */
function unchunk(bytes: Buffer): Buffer | string {
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd === -1) return 'the answer was cut off (inside a chunk size)';
    const size = /^[0-9a-fA-F]+/.exec(bytes.subarray(at, lineEnd).toString('latin1'))?.[0];
    if (size === undefined) return 'a bad chunk size';
    const length = Number.parseInt(size, 16);
    if (length === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (bytes.length < start + length + 2) return 'the answer was cut off (inside a chunk)';
    parts.push(bytes.subarray(start, start + length));
    at = start + length + 2;
  }
}
