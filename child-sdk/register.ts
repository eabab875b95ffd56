// The preload: `node --require <procwire>/dist/register.cjs app.js` supervises an app with no
// procwire code in it. It connects, reports every TCP server that starts listening as a
// port and removes it when the server closes, reports a crash as an error diagnostic before
// the process dies, and says ready.
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
  // The names of servers listening now. An unnamed one takes the lowest free `port-N`, so a
  // dev server that replaces its server (Vite does on a config change) keeps its port's name.
  const listening = new Set<string>();
  const freeName = (): string => {
    let n = 1;
    while (listening.has(`port-${n}`)) n++;
    return `port-${n}`;
  };
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
  // A server's name while it listens: freed at close() (the port stops listening then, and a
  // replacement may listen before the old server's 'close' event), or at that event.
  const names = new WeakMap<Server, string>();
  const closed = (server: Server, name: string): void => {
    if (names.get(server) !== name) return;
    names.delete(server);
    listening.delete(name);
    const pending = pendingPorts.findIndex((port) => port.name === name);
    if (pending >= 0) pendingPorts.splice(pending, 1);
    // A connection made by an older copy of the SDK in this process (the app's own) lacks it.
    else void (parent as Partial<ParentConnection> | undefined)?.removePort?.(name);
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
      const name = typeof explicit === 'string' && explicit.length > 0 ? explicit : freeName();
      listening.add(name);
      names.set(this, name);
      this.once('close', () => closed(this, name));
      report(name, address, protocolOf(this));
    });
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof Server.prototype.listen;
  const close = Server.prototype.close;
  Server.prototype.close = function (this: Server, ...args: unknown[]) {
    const name = names.get(this);
    if (name !== undefined) closed(this, name);
    return close.apply(this, args as Parameters<typeof close>);
  } as typeof Server.prototype.close;

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
