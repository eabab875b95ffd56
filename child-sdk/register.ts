// The preload: `node --require <procwire>/dist/register.cjs app.js` supervises an app with no
// procwire code in it. It connects, reports every TCP server that starts listening as a
// port, reports a crash as an error diagnostic before the process dies, and says ready.
import { Server, type AddressInfo } from 'node:net';
import { connect } from './connect.js';
import { crashDiagnostic } from './crash-diagnostic.js';
import type { ParentConnection } from './parent-connection.js';
import { takeSupervisorEnv } from './supervisor-env.js';

// Outside procwire the preload does nothing, so the same command line still runs the app.
if (takeSupervisorEnv().socket) install();

function install(): void {
  // 'listen': ready at the first listen only. Default 'auto': at the first listen if the app
  // has called listen() by the time the handshake is done, otherwise at once.
  const waitForListen = process.env.PROCWIRE_READY === 'listen';
  let parent: ParentConnection | undefined;
  let listenCalls = 0;
  let unnamed = 0;
  let readySent = false;
  const sayReady = (): void => {
    if (readySent || parent === undefined) return;
    readySent = true;
    void parent.ready();
  };
  const pendingPorts: { name: string; info: AddressInfo; protocol: string | undefined }[] = [];
  const report = (name: string, info: AddressInfo, protocol: string | undefined): void => {
    if (parent === undefined) {
      pendingPorts.push({ name, info, protocol });
      return;
    }
    const host = info.address === '::' || info.address === '0.0.0.0' ? '127.0.0.1' : info.address;
    void parent.reportPort(name, info.port, protocol === undefined ? { host } : { host, protocol });
    sayReady();
  };

  const listen = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    listenCalls++;
    const options = args[0];
    const explicit =
      typeof options === 'object' && options !== null && typeof (options as { name?: unknown }).name === 'string'
        ? (options as { name: string }).name
        : (this as { procwireName?: unknown }).procwireName;
    this.once('listening', () => {
      const address = this.address();
      if (address === null || typeof address === 'string') return; // a pipe or Unix socket has no port
      const name = typeof explicit === 'string' && explicit.length > 0 ? explicit : `port-${++unnamed}`;
      report(name, address, protocolOf(this));
    });
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof Server.prototype.listen;

  process.on('uncaughtExceptionMonitor', (error, origin) => {
    if (parent === undefined) return;
    const { file, diagnostic } = crashDiagnostic(error, origin);
    // Written synchronously: libuv writes a small frame at once when nothing is queued,
    // so it leaves before the process dies.
    void parent.publishDiagnostics(file, [diagnostic]);
  });

  connect({ keepAlive: false }).then(
    (connected) => {
      parent = connected;
      for (const { name, info, protocol } of pendingPorts.splice(0)) report(name, info, protocol);
      if (!waitForListen && listenCalls === 0) setImmediate(() => listenCalls === 0 && sayReady());
    },
    (error: Error) => {
      process.stderr.write(`procwire preload: not connected to the supervisor: ${error.message}\n`);
    },
  );
}

function protocolOf(server: Server): string | undefined {
  // Duck-typed so the preload does not load http/https into apps that never use them.
  if (!('maxHeadersCount' in server)) return undefined;
  return typeof (server as { addContext?: unknown }).addContext === 'function' ? 'https' : 'http';
}
