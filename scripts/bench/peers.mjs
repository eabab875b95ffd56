// The ways a parent can call a child that the benchmarks compare, behind one shape:
// `const peer = await startPeer(kind)`, then `await peer.call(message)` resolves with the
// child's echo of `message`; `peer.pid` is the child's pid; `await peer.close()`, or
// `peer.kill()` for a peer stuck mid-message. Each call waits for its answer, so no
// transport needs request ids beyond what it already sends.
import { execFileSync, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ipc from 'node-ipc';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import { Supervisor } from '../../dist/src/index.js';
import { FrameChannel } from '../../dist/src/protocol/index.js';
import { root } from './common.mjs';

export const PEERS = {
  ndjson: 'raw NDJSON over a Unix socket (floor)',
  fork: 'child_process.fork IPC',
  'node-ipc': 'node-ipc 12, Unix socket',
  procwire: 'procwire sendRequest',
};

const childPath = (name) => join(root, 'scripts/bench/children', name);
// stderr stays visible: a child that crashes mid-benchmark should say why.
const stdio = ['ignore', 'ignore', 'inherit'];

/**
 * The round-trip floor: stock vscode-jsonrpc on both ends (its own socket reader and writer),
 * over the same kind of Unix socket. procwire keeps vscode-jsonrpc as its JSON-RPC engine
 * (DESIGN.md, Wire protocol), so this is the least a procwire request can cost.
 */
export const JSONRPC_FLOOR = { 'vscode-jsonrpc': 'stock vscode-jsonrpc 10, Unix socket (floor)' };

/**
 * Not a peer: procwire's framing with no JSON-RPC layer (see children/echo-frames.mjs), to
 * show what vscode-jsonrpc costs on the round trip.
 */
export const REFERENCES = { frames: 'reference: procwire FrameChannel, no JSON-RPC layer' };

/** Starts the echo child for `kind` and resolves once it can answer calls. */
export function startPeer(kind, { maxMessageSize = 64 * 1024 * 1024 } = {}) {
  if (kind === 'vscode-jsonrpc') return startStockJsonRpc();
  if (kind === 'ndjson') return startNdjson();
  if (kind === 'fork') return startFork();
  if (kind === 'node-ipc') return startNodeIpc();
  if (kind === 'procwire') return startProcwire(maxMessageSize);
  if (kind === 'frames') return startFrames();
  throw new TypeError(`unknown peer ${JSON.stringify(kind)}`);
}

/** One answer outstanding at a time: the calls are sequential by design. */
function oneAtATime() {
  let pending;
  return {
    wait: () => new Promise((resolve, reject) => (pending = { resolve, reject })),
    answer: (value) => pending?.resolve(value),
    fail: (error) => pending?.reject(error),
  };
}

/** Listens on a fresh socket file, starts `child` with BENCH_SOCKET, and takes its connection. */
async function connectedChild(child) {
  const { path, remove } = socketPath();
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const proc = spawn(process.execPath, [childPath(child)], { stdio, env: { ...process.env, BENCH_SOCKET: path } });
  const [socket] = await once(server, 'connection');
  return { proc, socket, server, remove };
}

/** close() and kill() of a peer whose child connected to our own server on a socket file. */
function endsOf({ proc, socket, server, remove }) {
  return {
    async close() {
      socket.destroy();
      server.close();
      if (proc.exitCode === null) await once(proc, 'exit');
      remove();
    },
    kill() {
      proc.kill('SIGKILL');
      remove();
    },
  };
}

function socketPath() {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-'));
  return { path: join(dir, 's.sock'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function startNdjson() {
  const { proc, socket, server, remove } = await connectedChild('echo-ndjson.cjs');
  const reply = oneAtATime();
  let parts = [];
  // One answer outstanding at a time, so a chunk holds at most one newline; search only the
  // new chunk for it, so a 10 MiB answer costs one join.
  socket.on('data', (chunk) => {
    const newline = chunk.indexOf(10);
    if (newline < 0) return void parts.push(chunk);
    parts.push(chunk.subarray(0, newline));
    const line = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    parts = newline + 1 < chunk.length ? [chunk.subarray(newline + 1)] : [];
    reply.answer(JSON.parse(line.toString('utf8')));
  });
  proc.once('exit', () => reply.fail(new Error('the ndjson child exited')));
  return {
    pid: proc.pid,
    call(message) {
      socket.write(`${JSON.stringify(message)}\n`);
      return reply.wait();
    },
    ...endsOf({ proc, socket, server, remove }),
  };
}

async function startStockJsonRpc() {
  const { proc, socket, server, remove } = await connectedChild('echo-vscode-jsonrpc.cjs');
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  connection.listen();
  const ends = endsOf({ proc, socket, server, remove });
  return {
    pid: proc.pid,
    call: (message) => connection.sendRequest('echo', message),
    async close() {
      connection.dispose();
      await ends.close();
    },
    kill: ends.kill,
  };
}

async function startFrames() {
  const { proc, socket, server, remove } = await connectedChild('echo-frames.mjs');
  const channel = new FrameChannel(socket, { maxMessageSize: 64 * 1024 * 1024 });
  const reply = oneAtATime();
  let id = 0;
  channel.listen((message) => reply.answer(message.result));
  proc.once('exit', () => reply.fail(new Error('the frames child exited')));
  return {
    pid: proc.pid,
    call(message) {
      void channel.write({ jsonrpc: '2.0', id: ++id, method: 'echo', params: message });
      return reply.wait();
    },
    ...endsOf({ proc, socket, server, remove }),
  };
}

async function startFork() {
  const proc = fork(childPath('echo-fork.cjs'), [], { stdio: [...stdio, 'ipc'], serialization: 'json' });
  await once(proc, 'spawn');
  const reply = oneAtATime();
  proc.on('message', reply.answer);
  proc.once('exit', () => reply.fail(new Error('the fork child exited')));
  return {
    pid: proc.pid,
    call(message) {
      proc.send(message);
      return reply.wait();
    },
    async close() {
      proc.disconnect();
      if (proc.exitCode === null) await once(proc, 'exit');
    },
    kill: () => proc.kill('SIGKILL'),
  };
}

async function startNodeIpc() {
  const { path, remove } = socketPath();
  ipc.config.silent = true; // otherwise every message is util.inspect-ed to the console
  ipc.config.id = 'bench';
  // node-ipc's emitters are event-pubsub, not EventEmitter, so no events.once here.
  const started = new Promise((resolve) => ipc.serve(path, resolve));
  const connected = new Promise((resolve) => ipc.server.on('connect', resolve));
  ipc.server.start();
  await started;
  const proc = spawn(process.execPath, [childPath('echo-node-ipc.cjs')], {
    stdio,
    env: { ...process.env, BENCH_SOCKET: path },
  });
  const socket = await connected;
  const reply = oneAtATime();
  ipc.server.on('echo', (data) => reply.answer(data));
  proc.once('exit', () => reply.fail(new Error('the node-ipc child exited')));
  return {
    pid: proc.pid,
    call(message) {
      ipc.server.emit(socket, 'echo', message);
      return reply.wait();
    },
    async close() {
      socket.destroy();
      ipc.server.stop();
      if (proc.exitCode === null) await once(proc, 'exit');
      remove();
    },
    kill() {
      proc.kill('SIGKILL');
      remove();
    },
  };
}

async function startProcwire(maxMessageSize) {
  const sup = await Supervisor.start({ maxMessageSize });
  const child = await sup.spawn({
    id: 'echo',
    command: process.execPath,
    args: [childPath('echo-procwire.cjs')],
    stdio: 'ignore',
  });
  return {
    pid: child.pid,
    call: (message) => child.sendRequest('echo', message),
    close: () => sup.shutdown(),
    // The supervisor's exit hook SIGKILLs its children's groups when this process exits.
    kill: () => undefined,
  };
}

/**
 * Which procwire was measured: the commit, and the source files that differ from it (the
 * dist under test is built from the working tree). Undefined outside a git checkout.
 */
export function procwireBuild() {
  try {
    const git = (...args) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const modified = git('status', '--porcelain', '--', 'src', 'child-sdk').split('\n').filter(Boolean);
    return { commit: git('rev-parse', '--short', 'HEAD'), modified };
  } catch {
    return undefined;
  }
}
