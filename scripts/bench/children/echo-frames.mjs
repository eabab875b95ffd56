// A reference, not procwire's API: echoes over procwire's FrameChannel alone (LSP framing, the
// size cap, one write per frame) with no JSON-RPC layer, so the round-trip benchmark can say
// how much of procwire's cost is the framing and how much is vscode-jsonrpc.
import { createConnection } from 'node:net';
import { FrameChannel } from '../../../dist/src/protocol/index.js';

const socket = createConnection(process.env.BENCH_SOCKET);
const channel = new FrameChannel(socket, { maxMessageSize: 64 * 1024 * 1024 });
channel.listen((message) => void channel.write({ jsonrpc: '2.0', id: message.id, result: message.params }));
socket.on('close', () => process.exit(0));
