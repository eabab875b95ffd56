// The pipe endpoint and its name rules; SDK children (CommonJS and ES module) through hello,
// ready, a port, a diagnostic and requests both ways; the register preload reporting an
// unmodified server's port; child.signal on Windows; a clean stop; a bounded shutdown.
import { Supervisor } from '../../../dist/src/index.js';
import { alive, dist, failureOf, fixture, getText, scenario } from './record.mjs';

await scenario(async (record) => {
  const sup = await Supervisor.start();
  const other = await Supervisor.start();
  record('addresses', [sup.address, other.address]);
  record('squat', await failureOf(Supervisor.start({ socketPath: sup.address }).then((s) => s.shutdown())));
  record('filePath', await failureOf(Supervisor.start({ socketPath: 'C:\\procwire\\s.sock' })));
  const chosen = `\\\\.\\pipe\\procwire-chosen-${process.pid}`;
  const explicit = await Supervisor.start({ socketPath: chosen });
  record('explicit', { chosen, address: explicit.address });
  await Promise.all([other.shutdown(), explicit.shutdown()]);

  const logs = [];
  sup.on('child', (child) => {
    child.onRequest('parent/ping', (params) => ({ pong: params.from }));
    child.on('log', (entry) => logs.push(`${child.id}: ${entry.message}`));
  });
  for (const [id, file] of [
    ['cjs', 'reports-and-calls-parent.cjs'],
    ['esm', 'reports-and-calls-parent.mjs'],
  ]) {
    const child = await sup.spawn({ id, command: process.execPath, args: [fixture(file)], stdio: 'ignore' });
    const port = await child.waitForPort('http', { timeout: '20s' });
    const page = await getText(`http://${port.host}:${port.port}/`);
    const [[file0, diagnostics] = []] = [...child.diagnostics];
    record(id, {
      state: child.state.kind,
      port: { host: port.host, protocol: port.protocol, page },
      diagnostic: { file: file0, ...diagnostics?.[0] },
      echo: await child.sendRequest('echo', { n: 7 }),
      logs: logs.filter((line) => line.startsWith(`${id}:`)),
      // Windows has no SIGUSR2: child.signal sends nothing, and the child runs on.
      usr2: await child.signal('SIGUSR2').then(() => alive(child.pid) && child.state.kind),
      stop: await child.stop(),
    });
  }

  const plain = await sup.spawn({
    id: 'plain',
    command: process.execPath,
    args: ['--require', dist('register.cjs'), fixture('plain-http-server.cjs')],
    stdio: 'ignore',
    restart: 'never',
  });
  const found = await plain.waitForPort('port-1', { timeout: '20s' });
  record('register', {
    state: plain.state.kind,
    port: found,
    page: await getText(`http://${found.host}:${found.port}/`),
  });
  // SIGTERM ends the tree (there is no graceful signal on Windows).
  const pid = plain.pid;
  const exited = new Promise((resolve) => plain.once('exit', resolve));
  await plain.signal('SIGTERM');
  record('sigterm', { exit: await exited, alive: alive(pid) });
  const start = Date.now();
  await sup.shutdown();
  record('shutdown', { ms: Date.now() - start });
});
