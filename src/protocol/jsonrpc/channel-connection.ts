import { createMessageConnection, type Message, type MessageConnection } from 'vscode-jsonrpc/node';
import type { FrameChannel } from '../wire/frame-channel.js';
import { ChannelMessageReader } from './channel-message-reader.js';
import { ChannelMessageWriter } from './channel-message-writer.js';
import { FLOW_MARKER } from './read-flow.js';

const SETTLED_MARKER = '$/procwire/settled';

/** vscode-jsonrpc over one FrameChannel, and how to let it finish what it has read. */
export interface ChannelConnection {
  connection: MessageConnection;
  /** True while the socket is paused because what was read waits in the connection's queue. */
  readonly behind: boolean;
  /**
   * Resolves once the connection has handled every message read so far. Disposing a
   * connection drops what its queue still holds, so an owner whose socket closed waits
   * for this first: a dying child's last diagnostics are in that queue.
   */
  settled(): Promise<void>;
}

/**
 * Makes the JSON-RPC connection over `channel` with procwire's reader and writer (not yet
 * listening), with read backpressure (see ReadFlow). `settled` sends a marker with a fresh
 * token through the connection's queue behind the real messages; it never goes on the
 * wire, and a peer cannot forge it.
 */
export function connectChannel(channel: FrameChannel): ChannelConnection {
  const reader = new ChannelMessageReader(channel);
  const connection = createMessageConnection(reader, new ChannelMessageWriter(channel));
  const waiting = new Map<string, () => void>();
  // Registered up front: a closed connection takes no new handlers but still drains its queue.
  connection.onNotification(FLOW_MARKER, (params: unknown) => void reader.flow.reached(params));
  connection.onNotification(SETTLED_MARKER, (params: { token?: unknown } | undefined) => {
    const token = String(params?.token);
    waiting.get(token)?.();
    waiting.delete(token);
  });
  let next = 0;
  // Not a secret, only unguessable from the other process; no crypto for the child bundle.
  const salt = `${process.pid}-${Date.now()}-${Math.random()}`;
  const settled = (): Promise<void> =>
    new Promise((resolve) => {
      const token = `${salt}-${next++}`;
      waiting.set(token, resolve);
      if (!reader.inject({ jsonrpc: '2.0', method: SETTLED_MARKER, params: { token } } as Message)) {
        waiting.delete(token);
        resolve();
      }
    });
  return {
    connection,
    settled,
    get behind() {
      return reader.flow.paused;
    },
  };
}
