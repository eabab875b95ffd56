// A dev server under procwire: binds an ephemeral port, tells the parent which one, says ready.
const http = require('node:http');
const { connect } = require('../../../dist/child.cjs');

async function main() {
  const parent = await connect();

  const server = http.createServer((req, res) => {
    console.log(`${req.method} ${req.url}`); // becomes a 'stdout' event in the parent
    res.end(`hello from ${parent.id} (pid ${process.pid})\n`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  // On stop, the parent asks us to shut down; close the server, then the SDK exits.
  parent.onShutdown(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  await parent.reportPort('http', server.address().port, { protocol: 'http' });
  await parent.ready();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
