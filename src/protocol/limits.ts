/** Default cap on one incoming frame's body, in bytes. */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

/**
 * Cap on a frame's header block. Real headers are under 100 bytes; the cap keeps a peer
 * that never sends `\r\n\r\n` from growing our buffer.
 */
export const MAX_HEADER_BYTES = 8 * 1024;

/** How long a started frame may take to arrive in full before the connection is dropped. */
export const DEFAULT_FRAME_DEADLINE_MS = 30_000;
