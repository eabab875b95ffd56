// The round-trip floor's child: stock vscode-jsonrpc, as an LSP server over a socket writes
// it (createMessageConnection with the library's own socket reader and writer), answering
// 'echo' with its params. procwire's child does the same work through procwire's reader,
// writer and request path, so the difference is procwire's own.
const net = require('node:net');
const { createMessageConnection, SocketMessageReader, SocketMessageWriter } = require('vscode-jsonrpc/node');

const socket = net.createConnection(process.env.BENCH_SOCKET);
const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
connection.onRequest('echo', (params) => params);
connection.listen();
socket.on('close', () => process.exit(0));
