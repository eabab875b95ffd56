// The child side of procwire, bundled dependency-free (scripts/build.mjs) into a small entry,
// dist/child.cjs and dist/child.mjs, that loads the wire layer beside it and the JSON-RPC part
// (rpc-link.ts with vscode-jsonrpc) only after ready. Specific protocol modules, not the index.
export { connect, type ConnectOptions } from './connect.js';
export { ParentConnection, type ShutdownHandler } from './parent-connection.js';
export { ProcwireError, isProcwireError, type ProcwireErrorCode } from '../src/protocol/wire/errors.js';
export { Methods, PROTOCOL_VERSION } from '../src/protocol/wire/methods.js';
export type { HandlerContext, RequestHandler, NotificationHandler } from '../src/protocol/wire/handler-table.js';
export type { Diagnostic, DiagnosticSeverity, LogLevel, Position, Range } from '../src/protocol/wire/types.js';
