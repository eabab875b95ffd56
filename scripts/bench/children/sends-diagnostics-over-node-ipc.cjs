// node-ipc 12 peer: connects to the parent's node-ipc server (BENCH_SOCKET) and, on each
// 'go' event, emits every diagnostic as its own node-ipc event.
const ipc = require('node-ipc').default;
const { makeFiles } = require('./make-diagnostics.cjs');

const files = makeFiles();
// node-ipc logs every message through util.inspect unless silenced, which would measure the logger.
ipc.config.silent = true;
ipc.config.id = 'diagnostics-child';
// The parent going away ends the benchmark; reconnecting would keep this process alive.
ipc.config.stopRetrying = true;
ipc.connectTo('bench', process.env.BENCH_SOCKET, () => {
  const server = ipc.of.bench;
  server.on('connect', () => server.emit('ready'));
  server.on('go', () => {
    for (const { file, diagnostics } of files) {
      for (const diagnostic of diagnostics) server.emit('diagnostic', { file, diagnostic });
    }
  });
  server.on('disconnect', () => process.exit(0));
});
