// The protocol both sides share, in two layers (see docs/ARCHITECTURE.md): wire/ (frames,
// methods, types, validation, errors) and jsonrpc/ (vscode-jsonrpc over a frame channel).
// The parent's entry to both. Imports nothing else of procwire's; the child SDK imports the
// layers' modules directly, so that its start path loads wire/ alone.
export * from './wire/index.js';
export * from './jsonrpc/index.js';
