// The control API: an HTTP + JSON + Server-Sent Events handler over a Supervisor, the Unix
// socket `procwire run` serves it on, the dashboard's loopback server, and a small client.
export {
  createControlHandler,
  type ControlHandler,
  type ControlHandlerOptions,
  type ControlStats,
} from './handler.js';
export { serveControlSocket, ControlSocketInUse, type ControlSocket } from './serve-socket.js';
export { serveDashboard, type Dashboard, type DashboardOptions } from './dashboard.js';
export { controlSocketPath, ensureRuntimeDir } from './runtime-dir.js';
export { requestJson, streamEvents, ControlRequestError } from './client.js';
export { parseSse, type SseMessage } from './sse-parser.js';
export { TOKEN_HEADER } from './dashboard-guard.js';
export type * from './types.js';
