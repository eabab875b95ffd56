import type { EventType } from '../control/types.js';
import type { Store } from './store.js';
import { TOKEN_HEADER, token } from './token.js';

// Every event type of the stream, as a record so that the compiler checks it against the API's
// EventType: a type the server adds and the page does not listen to does not compile. (The page
// may import only types from control/, so it cannot share the server's list.)
const LISTENED: Record<EventType, true> = {
  snapshot: true,
  child: true,
  state: true,
  ready: true,
  port: true,
  'port-removed': true,
  diagnostics: true,
  cycle: true,
  health: true,
  runtime: true,
  output: true,
  exit: true,
  restart: true,
  'gave-up': true,
};

/**
 * Follows `GET /api/events` into the store, for good. While the stream is away the browser's
 * EventSource reconnects by itself (sending Last-Event-ID, so the server replays what was
 * missed or sends a fresh snapshot); when it gives up (the server answered with an error, or
 * was restarted) a new one is opened a second later, resuming from the last id seen, unless
 * the server refuses the page's token (a new run on the same port has a new one): then the
 * page says so and stops.
 */
export function follow(store: Store): void {
  let lastId = '';
  const open = (): void => {
    // An EventSource cannot send headers: the token goes in the query, to this origin only.
    const query = new URLSearchParams({ token: token() });
    if (lastId) query.set('lastEventId', lastId);
    const source = new EventSource(`/api/events?${query}`);
    source.onopen = () => store.setConnection('live');
    source.onerror = () => {
      store.setConnection('reconnecting');
      if (source.readyState !== EventSource.CLOSED) return;
      source.close();
      refused().then(
        (yes) => (yes ? store.setConnection('refused') : setTimeout(open, 1000)),
        () => setTimeout(open, 1000),
      );
    };
    for (const type of Object.keys(LISTENED) as EventType[]) {
      source.addEventListener(type, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) lastId = message.lastEventId;
        store.receive(type, JSON.parse(message.data));
      });
    }
  };
  open();
}

/** True when the server refuses the page's token (401), which no retry will change. */
async function refused(): Promise<boolean> {
  const res = await fetch('/api/children', { headers: { [TOKEN_HEADER]: token() } });
  return res.status === 401;
}
