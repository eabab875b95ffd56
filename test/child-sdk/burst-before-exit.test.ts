import t from 'tap';
import { nodeSpec, startSupervisor, within } from '../helpers/index.js';

// What the README promises of a burst right before a child ends on purpose: whole when the
// process ends by itself (Node writes out what its sockets hold before it exits). With
// process.exit() what still waits in the process is dropped (550-840 of these 5,000 files
// arrived in a try, and awaiting the last report first is not enough: it resolves once handed
// to the socket, which may still hold it).

t.test('a burst of 5,000 reports right before the child ends by itself reaches the parent whole', async (t) => {
  const sup = await startSupervisor(t);
  const files = new Set<string>();
  // The log goes out after the last file, and messages are handled in order: once it is
  // heard, every file that will ever arrive has.
  const logged = new Promise<void>((resolve) =>
    sup.on('child', (child) => {
      child.on('diagnostics', (file, list) => list.length > 0 && files.add(file));
      child.on('log', (entry) => entry.message === 'build done' && resolve());
    }),
  );
  const child = await sup.spawn(nodeSpec('burst', 'publishes-a-burst-then-ends.cjs', { restart: 'never' }));
  await within(logged, 'the log sent after the burst');
  t.equal(files.size, 5000, `every file (${files.size})`);
  if (child.state.kind !== 'exited') {
    await within(
      new Promise<void>((resolve) => child.on('state', (state) => state.kind === 'exited' && resolve())),
      'the child to be exited',
    );
  }
  t.match(child.state, { kind: 'exited', exitCode: 0 }, 'it ended by itself');
});
