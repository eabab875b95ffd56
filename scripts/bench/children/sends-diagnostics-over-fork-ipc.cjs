// child_process.fork peer: on each 'go' message, sends every diagnostic as its own
// process.send() message over Node's built-in IPC channel.
const { makeFiles } = require('./make-diagnostics.cjs');

const files = makeFiles();
process.on('message', (message) => {
  if (message !== 'go') return;
  for (const { file, diagnostics } of files) {
    for (const diagnostic of diagnostics) process.send({ file, diagnostic });
  }
});
process.on('disconnect', () => process.exit(0));
process.send('ready');
