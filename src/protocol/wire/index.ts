// The wire layer: what goes over the socket and what it means, with no JSON-RPC engine.
// Frames, method names, parameter types and their validation, error codes, limits, and the
// table of application handlers. Imports nothing but Node's own modules, so the child SDK's
// start path (connect, hello, ready, reports) carries only this; test/protocol/layers.test.ts
// proves that it never loads vscode-jsonrpc.
export * from './types.js';
export * from './methods.js';
export * from './env.js';
export * from './limits.js';
export * from './errors.js';
export * from './frame-parser.js';
export * from './frame-writer.js';
export * from './frame-channel.js';
export * from './validate.js';
export * from './params.js';
export * from './close-signal.js';
export * from './handler-table.js';
