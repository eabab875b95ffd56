// A server with no SDK for the discovery benchmark: after a short random wait (so listen()
// falls anywhere within a scan period) it listens on an ephemeral port and prints the port and
// the wall-clock millisecond listen() completed, then idles.
const net = require('node:net');

setTimeout(
  () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      console.log(`listening ${server.address().port} ${performance.timeOrigin + performance.now()}`);
    });
  },
  200 + Math.random() * 300,
);
setInterval(() => {}, 1 << 30);
