// Raw-socket child: on each "go" line, writes the diagnostics as newline-delimited JSON on a
// plain Unix socket (BENCH_SOCKET), no framing library, no protocol. BENCH_BATCH=file (the
// floor) writes one message per file, as LSP batches; BENCH_BATCH=diagnostic one per
// diagnostic. Written the careful way: when `write` says the socket's buffer is full, wait
// for 'drain' before the next message, so the child never queues a whole burst in memory
// (and never pays for doing so).
const net = require('node:net');
const { once } = require('node:events');
const { makeFiles } = require('./make-diagnostics.cjs');

const files = makeFiles();
const perFile = process.env.BENCH_BATCH === 'file';
const socket = net.createConnection(process.env.BENCH_SOCKET);
socket.setEncoding('utf8');

async function send() {
  for (const { file, diagnostics } of files) {
    if (perFile) {
      if (!socket.write(`${JSON.stringify({ file, diagnostics })}\n`)) await once(socket, 'drain');
    } else {
      for (const diagnostic of diagnostics) {
        if (!socket.write(`${JSON.stringify({ file, diagnostic })}\n`)) await once(socket, 'drain');
      }
    }
  }
}

// The parent only ever sends "go\n", and the next only after this burst has arrived.
socket.on('data', (chunk) => {
  for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) void send();
});
socket.on('close', () => process.exit(0));
