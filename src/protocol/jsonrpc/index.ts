// The JSON-RPC layer: vscode-jsonrpc's MessageConnection over a wire FrameChannel. procwire's
// own MessageReader and MessageWriter (size caps, backpressure, batched writes), the
// connection that lets its queue settle before disposal, and request helpers with timeouts,
// abort signals and typed errors. Only this layer imports vscode-jsonrpc.
export * from './channel-message-reader.js';
export * from './channel-message-writer.js';
export * from './channel-connection.js';
export * from './read-flow.js';
export * from './rpc.js';
