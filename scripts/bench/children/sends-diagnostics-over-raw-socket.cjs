// Raw-socket child: on each "go" line, writes the diagnostics as newline-delimited JSON on a
// plain Unix socket (BENCH_SOCKET), no framing library, no protocol. BENCH_BATCH=diagnostic
// (the floor) writes one message per diagnostic; BENCH_BATCH=file one per file.
const net = require('node:net');
const { makeFiles } = require('./make-diagnostics.cjs');

const files = makeFiles();
const perFile = process.env.BENCH_BATCH === 'file';
const socket = net.createConnection(process.env.BENCH_SOCKET);
socket.setEncoding('utf8');

function send() {
  for (const { file, diagnostics } of files) {
    if (perFile) socket.write(`${JSON.stringify({ file, diagnostics })}\n`);
    else for (const diagnostic of diagnostics) socket.write(`${JSON.stringify({ file, diagnostic })}\n`);
  }
}

// The parent only ever sends "go\n"; one send per line.
socket.on('data', (chunk) => {
  for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) send();
});
socket.on('close', () => process.exit(0));
