export * from './endpoint.js';
export * from './token.js';
export * from './socket-path.js';
