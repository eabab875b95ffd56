// The child side of procwire. Bundled into one dependency-free file (dist/child.cjs).
// Specific protocol modules, not the index: vscode-jsonrpc loads only after ready.
export { connect, type ConnectOptions } from './connect.js';
export { ParentConnection, type ShutdownHandler } from './parent-connection.js';
export { ProcwireError, isProcwireError, type ProcwireErrorCode } from '../src/protocol/wire/errors.js';
export { Methods, PROTOCOL_VERSION } from '../src/protocol/wire/methods.js';
export type { HandlerContext, RequestHandler, NotificationHandler } from '../src/protocol/wire/handler-table.js';
export type { Diagnostic, DiagnosticSeverity, LogLevel, Position, Range } from '../src/protocol/wire/types.js';
