import type { Socket } from 'node:net';
import { HandshakeRejection } from './handshake.js';

/**
 * How many connections may wait to say hello at once. Each can hold at most a hello's worth
 * of buffer (HELLO_MAX_BYTES), so strangers together pin a bounded amount of memory.
 */
export const MAX_PENDING_HANDSHAKES = 64;

/**
 * The connections that have not said hello yet, oldest first, at most MAX_PENDING_HANDSHAKES.
 * A newcomer beyond the cap makes room by refusing the connection that has waited longest:
 * an honest child says hello the moment it connects, so the oldest waiter is the likeliest
 * stranger, and closing it rather than the newcomer means strangers that hold connections
 * open cannot lock real children out. Room is made synchronously, so a burst accepted in one
 * turn never exceeds the cap.
 */
export class WaitingRoom {
  readonly #waiting = new Map<Socket, AbortController>();

  /** Admits `socket`; the signal aborts (with a HandshakeRejection) if it is pushed out. */
  enter(socket: Socket): AbortSignal {
    if (this.#waiting.size >= MAX_PENDING_HANDSHAKES) this.#pushOutOldest();
    const refusal = new AbortController();
    this.#waiting.set(socket, refusal);
    return refusal.signal;
  }

  /** How many connections have not said hello yet. */
  get size(): number {
    return this.#waiting.size;
  }

  /** The connection's handshake ended, either way. */
  leave(socket: Socket): void {
    this.#waiting.delete(socket);
  }

  /** Closes every waiting connection. */
  destroyAll(): void {
    for (const socket of this.#waiting.keys()) socket.destroy();
    this.#waiting.clear();
  }

  #pushOutOldest(): void {
    const oldest = this.#waiting.entries().next().value;
    if (oldest === undefined) return;
    const [socket, refusal] = oldest;
    this.#waiting.delete(socket);
    refusal.abort(
      new HandshakeRejection(`closed to make room: ${MAX_PENDING_HANDSHAKES} connections were waiting to say hello`),
    );
    socket.destroy();
  }
}
