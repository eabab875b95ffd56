import { realpath } from 'node:fs/promises';
import {
  createControlHandler,
  serveControlSocket,
  serveDashboard,
  type ControlHandlerOptions,
} from '../control/index.js';
import type { Supervisor } from '../supervisor.js';

/** What `procwire run` serves besides its children: the control API, and the dashboard with `--ui`. */
export interface ServedControl {
  /** The control socket's path. */
  socket: string;
  /** The dashboard's URL with its token, with `--ui`. */
  dashboardUrl: string | undefined;
  /** Ends event streams and stops serving; removes the socket. */
  close(): Promise<void>;
}

/**
 * Serves the control API of `sup` on the config's control socket and, when `uiPort` is a
 * number (0: any free port), the dashboard on 127.0.0.1. Rejects with ControlSocketInUse when
 * another run serves the same config, before anything of ours listens.
 */
export async function serveControl(
  sup: Supervisor,
  options: {
    config: string;
    ids: readonly string[];
    uiPort: number | undefined;
    onAction: ControlHandlerOptions['onAction'];
    respawn: ControlHandlerOptions['respawn'];
  },
): Promise<ServedControl> {
  const handler = createControlHandler(sup, {
    configured: options.ids,
    config: await realpath(options.config),
    onAction: options.onAction,
    respawn: options.respawn,
  });
  let socket: Awaited<ReturnType<typeof serveControlSocket>>;
  try {
    socket = await serveControlSocket(handler, { config: options.config });
  } catch (error) {
    handler.close();
    throw error;
  }
  let dashboard: Awaited<ReturnType<typeof serveDashboard>> | undefined;
  try {
    dashboard = options.uiPort === undefined ? undefined : await serveDashboard(handler, { port: options.uiPort });
  } catch (error) {
    handler.close();
    await socket.close();
    throw dashboardError(error, options.uiPort);
  }
  return {
    socket: socket.path,
    dashboardUrl: dashboard?.url,
    close: async () => {
      handler.close();
      await Promise.all([socket.close(), dashboard?.close()]);
    },
  };
}

// The OS's words (`listen EADDRINUSE: address already in use 127.0.0.1:40115`, `listen EACCES:
// permission denied 127.0.0.1:80`) say neither which option asked for the port nor what to do
// instead.
function dashboardError(error: unknown, port: number | undefined): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(
      `--ui ${port}: port ${port} on 127.0.0.1 is taken by another program; ` +
        'pick another port, or give --ui alone for any free port',
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new Error(
      `--ui ${port}: this user may not listen on port ${port} (ports below 1024 need root on most systems); ` +
        'pick a port from 1024 up, or give --ui alone for any free port',
      { cause: error },
    );
  }
  return error;
}
