// The floor: newline-delimited JSON over a Unix socket, each line parsed and re-serialised
// (the JSON work every peer pays) and sent back. Nothing else on the path.
const net = require('node:net');

const socket = net.createConnection(process.env.BENCH_SOCKET);
let parts = [];
socket.on('data', (chunk) => {
  // Search only the new chunk for the newline, so a 10 MiB line costs one join, not many.
  let start = 0;
  let newline;
  while ((newline = chunk.indexOf(10, start)) >= 0) {
    parts.push(chunk.subarray(start, newline));
    const line = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    parts = [];
    socket.write(`${JSON.stringify(JSON.parse(line.toString('utf8')))}\n`);
    start = newline + 1;
  }
  if (start < chunk.length) parts.push(chunk.subarray(start));
});
socket.on('close', () => process.exit(0));
