import type { IncomingMessage, ServerResponse } from 'node:http';
import { toMs, type Duration } from '../options/duration.js';
import { expectInteger, expectObject, expectString, expectStringArray, rejectUnknownKeys } from '../options/fields.js';
import type { Supervisor } from '../supervisor.js';
import { controlled, tailCount, type ChildAction } from './child-routes.js';
import { EventHub } from './event-hub.js';
import { serveEvents, unknownChild } from './event-route.js';
import { HttpError, sendError, sendJson } from './http-error.js';
import { readBody } from './read-body.js';
import { diagnosticsView } from './snapshot.js';
import type { SseStream } from './sse-stream.js';
import type { RunInfo } from './types.js';

/** Options of {@link createControlHandler}. */
export interface ControlHandlerOptions {
  /** Ids that will be spawned: listed (state `pending`) before they are. */
  configured?: readonly string[];
  /** The config file, shown by `GET /api/run`. */
  config?: string;
  /** Largest request body read, in bytes; a larger one is answered 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Events kept for streams that resume with Last-Event-ID. Default 10,000. */
  backlog?: number;
  /** Recent output and log lines kept per child. Default 1,000. */
  linesPerChild?: number;
  /** Bytes that may wait for a slow event-stream client before it is dropped. Default 1 MiB. */
  maxStreamBuffer?: number;
  /** Interval of keep-alive comments on event streams. Default 15 s. */
  keepAlive?: Duration;
  /**
   * Called as a POST starts, stops or restarts a child, with the promise of its end: lets the
   * embedder tell a child stopped on request (or between a restart's stop and start) from one
   * that ended by itself. Its errors are ignored.
   */
  onAction?: (id: string, action: ChildAction, done: Promise<unknown>) => void;
  /**
   * Spawns again a configured child whose start failed, which the supervisor let go (its id is
   * free): called for a `start` or `restart` of such a child, resolving once it is ready and
   * rejecting as `spawn` does. Without it, such a child cannot be controlled (409). `procwire
   * run` spawns it from its config, as at the run's start.
   */
  respawn?: (id: string) => Promise<unknown>;
}

/** Counters of a control handler. */
export interface ControlStats {
  /** Event streams open now. */
  streams: number;
  /** Event streams dropped because their client did not read. */
  dropped: number;
}

/**
 * A request listener for `http.createServer` (or for your own server's `/api/` paths) that
 * serves the control API over a Supervisor, plus `close()`, which ends every event stream.
 */
export interface ControlHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly stats: Readonly<ControlStats>;
  /** Ends every event stream and stops following the supervisor; requests after it get 503. */
  close(): void;
}

const OPTION_KEYS = [
  'configured',
  'config',
  'maxBodyBytes',
  'backlog',
  'linesPerChild',
  'maxStreamBuffer',
  'keepAlive',
  'onAction',
  'respawn',
] as const;

/**
 * The control API over `sup` as a request listener: `GET /api/children`, `/api/children/:id`,
 * `/api/children/:id/logs?tail=N`, `/api/diagnostics`, `/api/events` (Server-Sent Events),
 * `/api/run`, and `POST /api/children/:id/start|stop|restart` (`?wait=false`: answer 202 at once).
 * Answers are JSON; errors are `{ error: { code, message } }` with a fitting status. It does no
 * authentication: serve it where only its users can connect (`serveControlSocket`), or behind
 * the dashboard's checks (`serveDashboard`). Bad options throw a TypeError.
 */
export function createControlHandler(sup: Supervisor, options: ControlHandlerOptions = {}): ControlHandler {
  rejectUnknownKeys('control handler options', expectObject('options', options), OPTION_KEYS);
  const hub = new EventHub(sup, expectStringArray('configured', options.configured ?? []), {
    backlog: expectInteger('backlog', options.backlog ?? 10_000, 1),
    linesPerChild: expectInteger('linesPerChild', options.linesPerChild ?? 1000, 1),
  });
  const maxBody = expectInteger('maxBodyBytes', options.maxBodyBytes ?? 64 * 1024, 0);
  const limits = {
    maxBuffered: expectInteger('maxStreamBuffer', options.maxStreamBuffer ?? 1024 * 1024, 1024),
    keepAliveMs: toMs('keepAlive', options.keepAlive ?? '15s'),
  };
  const run: Omit<RunInfo, 'streams'> = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    config: options.config === undefined ? null : expectString('config', options.config),
  };
  const { onAction, respawn } = options;
  for (const [name, value] of [
    ['onAction', onAction],
    ['respawn', respawn],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`control handler options: ${name} must be a function; got ${typeof value}`);
    }
  }
  const streams = new Set<SseStream>();
  const stats: ControlStats = { streams: 0, dropped: 0 };
  let closed = false;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (closed) throw new HttpError(503, 'SHUTTING_DOWN', 'this run is shutting down');
    await readBody(req, maxBody);
    const url = new URL(req.url ?? '/', 'http://procwire');
    const parts = url.pathname.split('/').slice(1);
    const method = req.method ?? 'GET';
    const only = (allowed: string): void => {
      if (method !== allowed) {
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}; use ${allowed}`, {
          allow: allowed,
        });
      }
    };
    if (parts[0] !== 'api') throw notFound(url.pathname);
    const [, resource, rawId, action, ...rest] = parts;
    if (resource === 'run' && rawId === undefined) {
      only('GET');
      return sendJson(res, 200, { ...run, streams: streams.size });
    }
    if (resource === 'diagnostics' && rawId === undefined) {
      only('GET');
      const child = url.searchParams.get('child') ?? undefined;
      if (child !== undefined && !hub.has(child)) throw unknownChild(child);
      return sendJson(res, 200, diagnosticsView(hub, child));
    }
    if (resource === 'events' && rawId === undefined) {
      only('GET');
      const stream = serveEvents(req, res, url.searchParams, {
        hub,
        limits,
        onEnd: (ended, dropped) => {
          streams.delete(ended);
          stats.streams = streams.size;
          if (dropped) stats.dropped++;
        },
      });
      if (stream.open) streams.add(stream);
      stats.streams = streams.size;
      return;
    }
    if (resource !== 'children' || rest.length > 0) throw notFound(url.pathname);
    if (rawId === undefined || rawId === '') {
      only('GET');
      return sendJson(res, 200, { children: hub.views() });
    }
    const id = decodeId(rawId);
    if (action === undefined) {
      only('GET');
      return sendJson(res, 200, hub.view(id) ?? throwing(unknownChild(id)));
    }
    if (action === 'logs') {
      only('GET');
      if (!hub.has(id)) throw unknownChild(id);
      const tail = tailCount(url.searchParams.get('tail'), 100, hub.limits.linesPerChild);
      return sendJson(res, 200, { id, lines: hub.lines(id, tail), lastEventId: `${hub.epoch}:${hub.lastSeq}` });
    }
    if (action !== 'start' && action !== 'stop' && action !== 'restart') throw notFound(url.pathname);
    only('POST');
    const done = controlled(sup, hub, id, action as ChildAction, respawn);
    try {
      onAction?.(id, action as ChildAction, done);
    } catch {}
    if (url.searchParams.get('wait') === 'false') {
      done.catch(() => undefined);
      return sendJson(res, 202, { child: hub.view(id) });
    }
    const extra = await done;
    return sendJson(res, 200, { ...extra, child: hub.view(id) });
  };

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((error: unknown) => sendError(res, error));
  }) as ControlHandler;
  Object.defineProperty(handler, 'stats', { get: () => ({ ...stats }) });
  handler.close = () => {
    closed = true;
    for (const stream of [...streams]) stream.end();
    hub.close();
  };
  return handler;
}

function notFound(path: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', `no such route: ${path}; the API is under /api/ (see the README)`);
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', `the child id in the path is not valid percent-encoding: ${raw}`);
  }
}

function throwing(error: Error): never {
  throw error;
}
