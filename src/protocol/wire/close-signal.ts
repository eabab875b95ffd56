import { setMaxListeners } from 'node:events';

/**
 * The AbortController whose signal says a connection has closed. Every request in flight
 * listens to it (to reject, or to abort its handler), so it has no listener limit: fifty
 * concurrent requests are normal use, not the leak Node's warning guesses at.
 */
export function createCloseController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
