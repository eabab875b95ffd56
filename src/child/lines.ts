import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

// A child that prints without newlines must not grow our buffer without bound.
const MAX_LINE_CHARS = 64 * 1024;

/**
 * Calls `onLine` for each line of `stream` (without its `\n` or `\r\n`); a final line with
 * no newline is delivered at end. Lines longer than 64 Ki characters are split. `onRead`, when
 * given, first gets each read's text with the end of its last whole line: the lines that
 * `onLine` then gets one by one, as printed.
 */
export function readLines(
  stream: Readable,
  onLine: (line: string) => void,
  onRead?: (text: string, end: number) => void,
): void {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const emit = (line: string): void => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  stream.on('data', (chunk: Buffer) => {
    rest += decoder.write(chunk);
    if (onRead !== undefined) {
      const last = rest.lastIndexOf('\n');
      if (last >= 0) onRead(rest, last + 1);
    }
    let start = 0;
    for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', start)) {
      emit(rest.slice(start, nl));
      start = nl + 1;
    }
    rest = rest.slice(start);
    while (rest.length > MAX_LINE_CHARS) {
      emit(rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
  });
  stream.on('end', () => {
    rest += decoder.end();
    if (rest.length > 0) emit(rest);
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
