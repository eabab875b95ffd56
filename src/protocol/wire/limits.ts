/** Default cap on one incoming frame's body, in bytes. */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

/**
 * Cap on a frame's header block. Real headers are under 100 bytes; the cap keeps a peer
 * that never sends `\r\n\r\n` from growing our buffer.
 */
export const MAX_HEADER_BYTES = 8 * 1024;

/** How long a started frame may take to arrive in full before the connection is dropped. */
export const DEFAULT_FRAME_DEADLINE_MS = 30_000;

/**
 * Deepest nesting of arrays and objects a frame's body may have (the message object itself
 * is level 1), checked by a byte scan before JSON.parse; serde_json's default recursion
 * limit. Deeper bodies are a PROTOCOL_ERROR: they cost the parser far more per byte than
 * flat ones and overflow the stack of any recursive code that later walks them.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * Read backpressure: when more than this many messages, or bytes of frame bodies, have been
 * read from a socket and not yet handled by vscode-jsonrpc (whose queue takes one message
 * per event-loop turn), the socket is paused; it resumes when half as many are left. A peer
 * that writes faster than its messages are handled then waits on its own socket instead of
 * growing ours.
 */
export const READ_PAUSE_MESSAGES = 1024;
export const READ_PAUSE_BYTES = 4 * 1024 * 1024;
