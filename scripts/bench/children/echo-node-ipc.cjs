// node-ipc 12 client on the parent's Unix socket: echo every 'echo' event.
const ipc = require('node-ipc').default;

ipc.config.silent = true; // its logger would otherwise print (and inspect) every message
ipc.config.stopRetrying = true; // exit with the parent instead of reconnecting forever
ipc.connectTo('bench', process.env.BENCH_SOCKET, () => {
  const parent = ipc.of.bench;
  parent.on('echo', (data) => parent.emit('echo', data));
  parent.on('destroy', () => process.exit(0));
});
