import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

// A child that prints without newlines must not grow our buffer without bound.
const MAX_LINE_CHARS = 64 * 1024;

/**
 * Calls `onLine` for each line of `stream` (without its `\n` or `\r\n`); a final line with
 * no newline is delivered at end. Lines longer than 64 Ki characters are split. `onRead`, when
 * given, then gets the same lines as printed, each ending in `\n`: a read's whole lines at
 * once (its text up to the end of its last whole line), after `onLine` got them one by one,
 * and a line that ended no read (the last one, a piece of an over-long line) alone.
 */
export function readLines(
  stream: Readable,
  onLine: (line: string) => void,
  onRead?: (text: string, end: number) => void,
): void {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const emit = (line: string): void => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  const alone = (line: string): void => {
    emit(line);
    onRead?.(`${line}\n`, line.length + 1);
  };
  stream.on('data', (chunk: Buffer) => {
    rest += decoder.write(chunk);
    let start = 0;
    for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', start)) {
      emit(rest.slice(start, nl));
      start = nl + 1;
    }
    if (start > 0) onRead?.(rest, start);
    rest = rest.slice(start);
    while (rest.length > MAX_LINE_CHARS) {
      alone(rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
  });
  stream.on('end', () => {
    rest += decoder.end();
    if (rest.length > 0) alone(rest);
    rest = '';
  });
  stream.on('error', () => undefined);
}

/** Keeps the last `size` lines, for error messages about a child that died. */
export class LineTail {
  readonly #size: number;
  #lines: string[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#size) this.#lines.shift();
  }

  get lines(): string[] {
    return [...this.#lines];
  }
}
