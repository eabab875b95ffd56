import type { MessageConnection } from 'vscode-jsonrpc/node';
import { connectChannel } from '../src/protocol/jsonrpc/channel-connection.js';
import type { FrameChannel } from '../src/protocol/wire/frame-channel.js';
import type { HandlerTable } from '../src/protocol/wire/handler-table.js';
import { Methods } from '../src/protocol/wire/methods.js';
import { requestWithLimits, runHandler, type PeerContext, type RequestLimits } from '../src/protocol/jsonrpc/rpc.js';

/** What the JSON-RPC layer needs from the ParentConnection it serves. */
export interface RpcLinkOptions {
  handlers: HandlerTable;
  peer: PeerContext;
  shutdown(): Promise<object>;
}

/**
 * The child's JSON-RPC layer: vscode-jsonrpc over the frame channel, serving the parent's
 * requests and carrying the child's. Loaded after hello and ready are out (the module
 * that pulls vscode-jsonrpc into the process), because a child's start is on the clock.
 */
export class RpcLink {
  readonly #connection: MessageConnection;
  readonly #peer: PeerContext;
  readonly #settled: () => Promise<void>;

  constructor(channel: FrameChannel, options: RpcLinkOptions) {
    this.#peer = options.peer;
    const { connection, settled } = connectChannel(channel);
    this.#settled = settled;
    this.#connection = connection;
    connection.onError(() => channel.socket.destroy());
    connection.onRequest(Methods.shutdown, () => options.shutdown());
    connection.onRequest((method, params, token) =>
      runHandler(token, options.peer.closed, (context) => options.handlers.request(method, params, context)),
    );
    connection.onNotification((method, params) =>
      options.handlers.notify(method, params, (error) => {
        // Where the person running the child looks; the parent sees it as the child's stderr.
        const what = error instanceof Error ? (error.stack ?? String(error)) : String(error);
        process.stderr.write(
          `procwire/child: the handler of notification "${method}" failed: ${what}\n` +
            '(catch what it can throw: a notification has no caller to tell)\n',
        );
      }),
    );
    connection.listen();
  }

  request(method: string, params: unknown, limits: RequestLimits): Promise<unknown> {
    return requestWithLimits(this.#connection, method, params, limits, this.#peer);
  }

  /** Disposes the connection once it has handled what it already read (the parent's last words). */
  dispose(): void {
    void this.#settled().then(() => this.#connection.dispose());
  }
}
