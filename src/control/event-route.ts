import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventHub, HubEvent } from './event-hub.js';
import { HttpError } from './http-error.js';
import { snapshot } from './snapshot.js';
import { SseStream, type SseLimits } from './sse-stream.js';
import { EVENT_TYPES, type EventType } from './types.js';

/** Which events a stream wants: `?child=<id>` and `?types=state,output` narrow it. */
export interface StreamFilter {
  child: string | undefined;
  types: ReadonlySet<string> | undefined;
}

/** Reads `child` and `types` from the query; an unknown child or type is a 404 or 400. */
export function streamFilter(query: URLSearchParams, hub: EventHub): StreamFilter {
  const child = query.get('child') ?? undefined;
  if (child !== undefined && !hub.has(child)) throw unknownChild(child);
  const listed = query.get('types');
  if (listed === null) return { child, types: undefined };
  const types = listed.split(',').filter(Boolean);
  const bad = types.find((type) => !EVENT_TYPES.includes(type as EventType));
  if (bad !== undefined) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `unknown event type ${JSON.stringify(bad)}; the types are: ${EVENT_TYPES.join(', ')}`,
    );
  }
  return { child, types: new Set(types) };
}

/** The 404 for an id the API does not know. */
export function unknownChild(id: string): HttpError {
  return new HttpError(404, 'UNKNOWN_CHILD', `no child with id ${JSON.stringify(id)}; GET /api/children lists them`);
}

/** `<epoch>:<seq>` from a Last-Event-ID, or undefined when it is absent or malformed. */
export function parseEventId(value: string | undefined): { epoch: string; seq: number } | undefined {
  const match = /^([0-9a-f]{8}):(\d{1,15})$/.exec(value ?? '');
  return match ? { epoch: match[1] as string, seq: Number(match[2]) } : undefined;
}

/**
 * Serves `GET /api/events` on `res`: after a resume (`Last-Event-ID` header, or `?lastEventId=`)
 * whose events are all still in the backlog, the events after it; otherwise a `snapshot` first.
 * Then every new event that passes the filter, until the client goes, is too slow, or `close`.
 */
export function serveEvents(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  context: { hub: EventHub; limits: SseLimits; onEnd(stream: SseStream, dropped: boolean): void },
): SseStream {
  const { hub } = context;
  const filter = streamFilter(query, hub);
  const wanted = (event: HubEvent): boolean =>
    (filter.child === undefined || event.child === filter.child) && (filter.types?.has(event.type) ?? true);
  const header = req.headers['last-event-id'];
  const resume = parseEventId((Array.isArray(header) ? header[0] : header) ?? query.get('lastEventId') ?? undefined);
  const replay = resume?.epoch === hub.epoch ? hub.since(resume.seq) : undefined;
  let unsubscribe = (): void => undefined;
  const stream = new SseStream(res, context.limits, (dropped) => {
    unsubscribe();
    context.onEnd(stream, dropped);
  });
  if (replay) {
    for (const event of replay) if (wanted(event)) stream.push(event.frame);
  } else if (filter.types?.has('snapshot') ?? true) {
    const data = snapshot(hub, filter.child);
    stream.push(`id: ${hub.epoch}:${hub.lastSeq}\nevent: snapshot\ndata: ${JSON.stringify(data)}\n\n`);
  }
  if (stream.open) unsubscribe = hub.subscribe((event) => wanted(event) && stream.push(event.frame));
  return stream;
}
