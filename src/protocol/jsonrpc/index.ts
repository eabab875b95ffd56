// The JSON-RPC layer: vscode-jsonrpc's MessageConnection over a wire FrameChannel. procwire's
// own MessageReader and MessageWriter (size caps, backpressure, batched writes), the
// connection that lets its queue settle before disposal, and request helpers with timeouts,
// abort signals and typed errors. Only this layer imports vscode-jsonrpc.
export * from './channel-message-reader.js';
export * from './channel-message-writer.js';
export * from './channel-connection.js';
export * from './read-flow.js';
export * from './rpc.js';
/**
 * What a request rejects with when the other side's handler refused it (vscode-jsonrpc's own
 * class): `code` -32601 when it has no handler for the method, -32603 when its handler threw
 * (with the thrown message), or the code of a ResponseError the handler threw itself, which is
 * how a handler answers with a code of its own.
 */
export { ResponseError } from 'vscode-jsonrpc/node';
