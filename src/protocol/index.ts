// The protocol both sides share. Imports nothing else of procwire's, so the child bundle
// carries only this.
export * from './types.js';
export * from './methods.js';
export * from './env.js';
export * from './limits.js';
export * from './errors.js';
export * from './frame-parser.js';
export * from './frame-writer.js';
export * from './frame-channel.js';
export * from './channel-message-reader.js';
export * from './channel-message-writer.js';
export * from './channel-connection.js';
export * from './validate.js';
export * from './params.js';
export * from './rpc.js';
export * from './close-signal.js';
export * from './handler-table.js';
