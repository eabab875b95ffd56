import { checkAppMethod } from './methods.js';

/** What an application request handler gets besides the params. */
export interface HandlerContext {
  /** Aborted when the peer cancels the request or the connection closes. */
  signal: AbortSignal;
}

/** Nobody serves the method; the RPC layer answers it with JSON-RPC's MethodNotFound. */
export class NoHandlerError extends Error {
  readonly code = -32601;
}

/** Serves an application request; its result (or the promise's) is the response. */
// biome-ignore lint/suspicious/noExplicitAny: params come off the wire; a handler declares the shape it expects
export type RequestHandler = (params: any, context: HandlerContext) => unknown;
/** Receives an application notification. */
// biome-ignore lint/suspicious/noExplicitAny: as above
export type NotificationHandler = (params: any) => void;

/**
 * The application's handlers on one side of the wire, by method: one request handler per
 * method (a later one replaces it), any number of notification handlers. Outlives any one
 * connection, so handlers registered once keep serving across reconnects and restarts.
 */
export class HandlerTable {
  readonly #owner: string;
  readonly #requests = new Map<string, RequestHandler>();
  readonly #notifications = new Map<string, Set<NotificationHandler>>();

  /** `owner` names this side in errors, e.g. `the parent` or `child "web"`. */
  constructor(owner: string) {
    this.#owner = owner;
  }

  /** Registers the request handler for `method`; returns a function that removes it. */
  onRequest(method: string, handler: RequestHandler): () => void {
    checkAppMethod(method);
    this.#requests.set(method, handler);
    return () => {
      if (this.#requests.get(method) === handler) this.#requests.delete(method);
    };
  }

  /** Adds a notification handler for `method`; returns a function that removes it. */
  onNotification(method: string, handler: NotificationHandler): () => void {
    checkAppMethod(method);
    let handlers = this.#notifications.get(method);
    if (!handlers) {
      handlers = new Set();
      this.#notifications.set(method, handlers);
    }
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  /**
   * Runs the handler for a request and returns what it returns, a value or a promise: a
   * synchronous handler is answered without a promise hop. Throws NoHandlerError (JSON-RPC's
   * MethodNotFound) for a method nobody serves.
   */
  request(method: string, params: unknown, context: HandlerContext): unknown {
    const handler = this.#requests.get(method);
    if (!handler) throw new NoHandlerError(`${this.#owner} has no handler for "${method}"`);
    return handler(params, context);
  }

  /**
   * Calls every handler of a notification; unheard notifications are dropped, as JSON-RPC allows.
   * A notification has nobody to answer, so what a handler throws, or the promise it returns
   * rejects with, goes to `failed` (each side says it where a person sees it), and the next
   * handler still runs. Left to itself, a rejected async handler would be an unhandled
   * rejection, which ends the process: a parent's would take every child with it.
   */
  notify(method: string, params: unknown, failed: (error: unknown) => void): void {
    for (const handler of this.#notifications.get(method) ?? []) {
      try {
        const result: unknown = handler(params);
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
          (result as PromiseLike<unknown>).then(undefined, failed);
        }
      } catch (error) {
        failed(error);
      }
    }
  }
}
