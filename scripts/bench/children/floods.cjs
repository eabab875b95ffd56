// A child that floods its parent, for flood.mjs. Says hello and ready in raw frames, and on
// the parent's `bench/go` notification writes for BENCH_FLOOD_MS ms as fast as its socket
// takes it (batches of frames; the next as soon as `write` has room or the socket drains):
//   BENCH_FLOOD_MODE=notifications  small `bench/tick` notifications;
//   BENCH_FLOOD_MODE=diagnostics    procwire/diagnostics for ever-new files, each with one
//                                   diagnostic, clearing the file 5,000 before it, so the
//                                   child stays under its diagnosticFiles cap.
// Then it sends `bench/done { sent }` and waits for the parent to close the connection.
const net = require('node:net');

const mode = process.env.BENCH_FLOOD_MODE ?? 'notifications';
const floodMs = Number(process.env.BENCH_FLOOD_MS ?? 10_000);
const WINDOW = 5_000;
const BATCH = 128;
const socket = net.createConnection(process.env.PROCWIRE_SOCKET);
const frame = (message) => {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const diagnostics = (n) => [
  {
    range: { start: { line: n % 1000, character: 0 }, end: { line: n % 1000, character: 8 } },
    severity: 1,
    source: 'bench',
    message: `generated problem ${n}`,
  },
];

let sent = 0;
let deadline = 0;
function next() {
  const n = sent++;
  if (mode === 'notifications') return frame({ jsonrpc: '2.0', method: 'bench/tick', params: { n } });
  const publish = frame({
    jsonrpc: '2.0',
    method: 'procwire/diagnostics',
    params: { file: `/src/gen/file-${n}.ts`, diagnostics: diagnostics(n) },
  });
  if (n < WINDOW) return publish;
  return (
    publish +
    frame({
      jsonrpc: '2.0',
      method: 'procwire/diagnostics',
      params: { file: `/src/gen/file-${n - WINDOW}.ts`, diagnostics: [] },
    })
  );
}
function flood() {
  while (Date.now() < deadline) {
    let batch = '';
    for (let i = 0; i < BATCH; i++) batch += next();
    if (!socket.write(batch)) {
      socket.once('drain', flood);
      return;
    }
  }
  socket.write(frame({ jsonrpc: '2.0', method: 'bench/done', params: { sent } }));
}

let text = '';
let stage = 'hello';
socket.on('data', (chunk) => {
  if (stage === 'flooding') return;
  text += chunk;
  if (stage === 'hello' && text.includes('"parentPid"')) {
    stage = 'ready';
    socket.write(frame({ jsonrpc: '2.0', method: 'procwire/ready', params: {} }));
  }
  if (stage === 'ready' && text.includes('"bench/go"')) {
    stage = 'flooding';
    deadline = Date.now() + floodMs;
    setImmediate(flood);
  }
});
socket.on('connect', () => {
  socket.write(
    frame({
      jsonrpc: '2.0',
      id: 1,
      method: 'procwire/hello',
      params: { protocol: 1, id: process.env.PROCWIRE_ID, token: process.env.PROCWIRE_TOKEN, pid: process.pid },
    }),
  );
});
socket.on('error', () => undefined);
socket.on('close', () => process.exit(0));
