import type { Test } from 'tap';
import { request, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createControlHandler,
  serveControlSocket,
  type ControlHandler,
  type ControlHandlerOptions,
  type ControlSocket,
  type Supervisor,
} from '../../src/index.js';
import { parseSse, type SseMessage } from '../../src/control/index.js';
import { startSupervisor, within } from '../helpers/index.js';

/** A supervisor serving its control API on a Unix socket in a temp dir; all gone at teardown. */
export interface Served {
  sup: Supervisor;
  handler: ControlHandler;
  socket: ControlSocket;
  path: string;
}

export async function serveControl(t: Test, options: ControlHandlerOptions = {}): Promise<Served> {
  return serveControlOf(t, await startSupervisor(t), options);
}

/** A control handler over `sup` on a socket of its own, both closed when the test ends. */
export async function serveControlOf(t: Test, sup: Supervisor, options: ControlHandlerOptions = {}): Promise<Served> {
  const handler = createControlHandler(sup, options);
  const dir = mkdtempSync(join(tmpdir(), 'procwire-ctl-'));
  const socket = await serveControlSocket(handler, { path: join(dir, 'c.sock') });
  t.teardown(async () => {
    handler.close();
    await socket.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { sup, handler, socket, path: socket.path };
}

/** An answer: status, headers and the parsed JSON body. */
export interface Answer<T = any> {
  status: number;
  headers: IncomingMessage['headers'];
  body: T;
}

/** One request over the socket (or to a TCP `port` on 127.0.0.1 when `socketPath` is a number). */
export function call<T = any>(
  where: string | number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer<T>> {
  return new Promise((resolve, reject) => {
    const target = typeof where === 'number' ? { host: '127.0.0.1', port: where } : { socketPath: where };
    const req = request({ ...target, method, path, headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A message with the time it arrived (performance.now()). */
export interface Arrived extends SseMessage {
  at: number;
}

/** An open event stream, read by a test. */
export interface EventClient {
  status: number;
  messages: Arrived[];
  /** The first message (already here, or within the deadline) that passes `match`. */
  next(what: string, match: (message: Arrived) => boolean): Promise<Arrived>;
  close(): void;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
}

/** Opens `GET /api/events?<query>` and keeps every message; closed at teardown. */
export function openEvents(
  t: Test,
  where: string | number,
  query = '',
  headers: Record<string, string> = {},
): Promise<EventClient> {
  return new Promise((resolve, reject) => {
    const target = typeof where === 'number' ? { host: '127.0.0.1', port: where } : { socketPath: where };
    const req = request({ ...target, path: `/api/events${query ? `?${query}` : ''}`, headers }, (res) => {
      const messages: Arrived[] = [];
      const waiters = new Set<() => void>();
      let endedResolve!: () => void;
      const ended = new Promise<void>((r) => (endedResolve = r));
      res.setEncoding('utf8');
      res.on('close', () => endedResolve());
      (async () => {
        for await (const message of parseSse(res as AsyncIterable<string>)) {
          messages.push({ ...message, at: performance.now() });
          for (const waiter of waiters) waiter();
        }
      })().catch(() => undefined);
      const client: EventClient = {
        status: res.statusCode ?? 0,
        messages,
        ended,
        close: () => req.destroy(),
        next: (what, match) => {
          const found = (): Arrived | undefined => messages.find(match);
          const seen = found();
          if (seen) return Promise.resolve(seen);
          let waiter!: () => void;
          const arrival = new Promise<Arrived>((resolveArrival) => {
            waiter = () => {
              const message = found();
              if (message) resolveArrival(message);
            };
            waiters.add(waiter);
          });
          return within(arrival, what).finally(() => waiters.delete(waiter));
        },
      };
      t.teardown(() => req.destroy());
      resolve(client);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The JSON of a message. */
export function data<T = any>(message: SseMessage): T {
  return JSON.parse(message.data) as T;
}
