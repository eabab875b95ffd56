import { ProcwireError } from './errors.js';
import { MAX_HEADER_BYTES, MAX_JSON_DEPTH } from './limits.js';

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);
/** The header every procwire peer and vscode-jsonrpc write; anything else takes the general path. */
const PLAIN_HEADER = Buffer.from('Content-Length: ', 'latin1');
const CR = 13;
const LF = 10;
const CONTENT_LENGTH = /^content-length:[ \t]*(\d+)[ \t]*$/i;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Splits a byte stream into LSP base-protocol frames (`Content-Length: N\r\n\r\n` + JSON)
 * and parses each body. Synchronous by design: a frame that arrives in one chunk is decoded
 * in that chunk's event with no extra buffering or promise hops, and a declared length over
 * `maxMessageSize` is refused before any of its body is stored.
 *
 * `push` throws a ProcwireError (`MESSAGE_TOO_LARGE` or `PROTOCOL_ERROR`, also for a body
 * nested deeper than MAX_JSON_DEPTH); after that the stream is unusable and the caller must
 * close it. `onMessage` gets each message with its body's length in bytes.
 */
export class FrameParser {
  #maxMessageSize: number;
  readonly #onMessage: (message: object, bytes: number) => void;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Body length of the frame being read; -1 while its header is still incomplete. */
  #bodyLength = -1;

  constructor(maxMessageSize: number, onMessage: (message: object, bytes: number) => void) {
    this.#maxMessageSize = maxMessageSize;
    this.#onMessage = onMessage;
  }

  /** Sets the cap for every frame whose header has not been read yet. */
  setMaxMessageSize(bytes: number): void {
    this.#maxMessageSize = bytes;
  }

  /** True while part of a frame has arrived (a header alone counts). */
  get hasPartialFrame(): boolean {
    return this.#buffered > 0 || this.#bodyLength >= 0;
  }

  push(chunk: Buffer): void {
    let rest = chunk;
    for (;;) {
      if (this.#bodyLength >= 0) {
        // The body of a frame whose header was read: take only the bytes it still needs, so a
        // chunk is never copied whole to finish the frame that straddles its start.
        const need = this.#bodyLength - this.#buffered;
        if (rest.length < need) {
          if (rest.length > 0) this.#stash(rest);
          return;
        }
        const bytes = this.#bodyLength;
        const tail = rest.subarray(0, need);
        const body = this.#chunks.length === 0 ? tail : Buffer.concat([...this.#chunks, tail], bytes);
        this.#chunks = [];
        this.#buffered = 0;
        this.#bodyLength = -1;
        rest = rest.subarray(need);
        this.#onMessage(parseBody(body), bytes);
      }
      if (this.#buffered === 0) rest = this.#pushWholeFrames(rest);
      if (this.#bodyLength >= 0) continue;
      if (rest.length === 0) return;
      // A header split over chunks, or not in the plain form: gather it and read it here.
      this.#stash(rest);
      const buffer = this.#chunks.length === 1 ? rest : Buffer.concat(this.#chunks, this.#buffered);
      const end = buffer.indexOf(HEADER_END);
      if (end < 0) {
        if (buffer.length > MAX_HEADER_BYTES) throw headerTooLong();
        this.#chunks = [buffer];
        return;
      }
      if (end > MAX_HEADER_BYTES) throw headerTooLong();
      const length = this.#parseHeader(buffer.toString('latin1', 0, end));
      this.#chunks = [];
      this.#buffered = 0;
      this.#bodyLength = length;
      rest = buffer.subarray(end + HEADER_END.length);
    }
  }

  /**
   * The fast path, for a chunk that starts a frame: decodes each whole frame with the plain
   * header straight from the chunk, with no copy and no header parsing beyond the digits. A
   * last frame whose plain header is whole but whose body is not has its length taken here.
   * Returns what is left (another header form, a header cut short, or bad bytes) for the
   * general path, which also produces every error.
   */
  #pushWholeFrames(chunk: Buffer): Buffer {
    let offset = 0;
    while (chunk.length - offset > PLAIN_HEADER.length + 4) {
      if (chunk.compare(PLAIN_HEADER, 0, PLAIN_HEADER.length, offset, offset + PLAIN_HEADER.length) !== 0) break;
      let at = offset + PLAIN_HEADER.length;
      let length = 0;
      const digitsStart = at;
      for (
        let byte = chunk[at];
        byte !== undefined && byte >= 48 && byte <= 57 && at - digitsStart < 10;
        byte = chunk[++at]
      ) {
        length = length * 10 + (byte - 48);
      }
      if (
        at === digitsStart ||
        chunk[at] !== CR ||
        chunk[at + 1] !== LF ||
        chunk[at + 2] !== CR ||
        chunk[at + 3] !== LF ||
        length > this.#maxMessageSize
      )
        break;
      const bodyStart = at + 4;
      if (bodyStart + length > chunk.length) {
        this.#bodyLength = length;
        const partial = chunk.subarray(bodyStart);
        if (partial.length > 0) this.#stash(partial);
        return EMPTY;
      }
      offset = bodyStart + length;
      this.#onMessage(parseBody(chunk.subarray(bodyStart, offset)), length);
    }
    return offset === 0 ? chunk : chunk.subarray(offset);
  }

  #stash(bytes: Buffer): void {
    this.#chunks.push(bytes);
    this.#buffered += bytes.length;
  }

  #parseHeader(header: string): number {
    let length = -1;
    for (const line of header.split('\r\n')) {
      const match = CONTENT_LENGTH.exec(line);
      if (match?.[1] !== undefined) {
        // Two lengths could be read two ways by two parsers; refuse rather than pick one.
        if (length >= 0) throw new ProcwireError('PROTOCOL_ERROR', 'frame header has more than one Content-Length');
        length = Number(match[1]);
      } else if (/^content-length:/i.test(line)) {
        throw new ProcwireError('PROTOCOL_ERROR', `invalid Content-Length ${JSON.stringify(line.slice(0, 80))}`);
      } else if (!/^[A-Za-z-]+:/.test(line)) {
        throw new ProcwireError('PROTOCOL_ERROR', `malformed frame header line ${JSON.stringify(line.slice(0, 80))}`);
      }
    }
    if (length < 0) throw new ProcwireError('PROTOCOL_ERROR', 'frame header has no Content-Length');
    if (length > this.#maxMessageSize) {
      throw new ProcwireError(
        'MESSAGE_TOO_LARGE',
        `frame of ${length} bytes exceeds maxMessageSize (${this.#maxMessageSize} bytes); ` +
          'send large data in parts or raise maxMessageSize',
      );
    }
    return length;
  }
}

function headerTooLong(): ProcwireError {
  return new ProcwireError('PROTOCOL_ERROR', `frame header longer than ${MAX_HEADER_BYTES} bytes`);
}

function parseBody(body: Buffer): object {
  if (!isShallow(body, MAX_JSON_DEPTH)) {
    throw new ProcwireError(
      'PROTOCOL_ERROR',
      `frame body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels; send flatter data`,
    );
  }
  let message: unknown;
  try {
    message = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new ProcwireError('PROTOCOL_ERROR', 'frame body is not valid JSON', { cause });
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new ProcwireError('PROTOCOL_ERROR', 'frame body is not a JSON-RPC message object');
  }
  return message;
}

/**
 * True unless `body` nests arrays and objects deeper than `maxDepth`, counting brackets
 * outside strings. One pass over the raw bytes (UTF-8 continuation bytes are never ASCII,
 * so they cannot be mistaken for a bracket or a quote); about a fifth of what JSON.parse
 * then costs. Stops at the first level too deep, so an attack costs only `maxDepth` bytes.
 * Exact for valid JSON; on invalid JSON it may under-count only after the point where
 * JSON.parse stops anyway.
 */
function isShallow(body: Buffer, maxDepth: number): boolean {
  const length = body.length;
  let depth = 0;
  for (let at = 0; at < length; at++) {
    const byte = body[at] as number;
    if (byte === QUOTE) {
      for (at++; at < length; at++) {
        const inner = body[at] as number;
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) at++;
      }
    } else if (byte === 91 || byte === 123) {
      if (++depth > maxDepth) return false;
    } else if (byte === 93 || byte === 125) {
      depth--;
    }
  }
  return true;
}
