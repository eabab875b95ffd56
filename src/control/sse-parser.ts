/** One Server-Sent Events message: its `event` name (default `message`), `id` and `data`. */
export interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

/**
 * Parses a text stream of Server-Sent Events (as the HTML standard says: lines ending in LF,
 * CRLF or CR; `field: value`; comments start with `:`; a blank line dispatches) into
 * messages. Messages with no data are not dispatched.
 */
export async function* parseSse(chunks: AsyncIterable<string>): AsyncGenerator<SseMessage> {
  let buffer = '';
  let event = '';
  let id: string | undefined;
  let data: string[] = [];
  for await (const chunk of chunks) {
    buffer += chunk;
    let from = 0;
    // Where the next CR is, found once per chunk and again only after it is passed (a scan per
    // line would make a chunk of many LF-only lines quadratic).
    let cr = buffer.indexOf('\r');
    for (;;) {
      if (cr >= 0 && cr < from) cr = buffer.indexOf('\r', from);
      const lf = buffer.indexOf('\n', from);
      const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      // No full line yet; a CR at the very end may be the first half of a CRLF on its way.
      if (end < 0 || (buffer.charCodeAt(end) === CR && end === buffer.length - 1)) break;
      const line = buffer.slice(from, end);
      from = end + (buffer.charCodeAt(end) === CR && buffer.charCodeAt(end + 1) === LF ? 2 : 1);
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', id, data: data.join('\n') };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
    buffer = buffer.slice(from);
  }
}

const CR = 13;
const LF = 10;
