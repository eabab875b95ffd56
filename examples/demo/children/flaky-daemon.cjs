// A daemon with a bad dependency: starts, works for a moment, then crashes. procwire
// restarts it with growing backoff until it gives up at its retry limit.
const { connect } = require('../../../dist/child.cjs');

connect().then(async (parent) => {
  await parent.ready();
  await parent.log('info', 'syncing jobs from the queue');
  setTimeout(() => {
    console.error('flaky: lost the connection to the job queue (simulated)');
    process.exit(1);
  }, 700);
});
