// The protocol both sides share, in two layers (see docs/ARCHITECTURE.md): wire/ (frames,
// methods, types, validation, errors) and jsonrpc/ (vscode-jsonrpc over a frame channel).
// Imports nothing else of procwire's, so the child bundle carries only this.
export * from './wire/index.js';
export * from './jsonrpc/index.js';
