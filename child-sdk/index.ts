// The child side of procwire. Bundled into one dependency-free file (dist/child.cjs), so it
// imports only the shared protocol and vscode-jsonrpc.
export { connect, type ConnectOptions } from './connect.js';
export { ParentConnection, type ShutdownHandler } from './parent-connection.js';
export {
  ProcwireError,
  isProcwireError,
  Methods,
  PROTOCOL_VERSION,
  type ProcwireErrorCode,
  type Diagnostic,
  type DiagnosticSeverity,
  type HandlerContext,
  type RequestHandler,
  type NotificationHandler,
  type LogLevel,
  type Position,
  type Range,
} from '../src/protocol/index.js';
