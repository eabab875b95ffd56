// A procwire SDK child that answers 'echo' with its params.
const { connect } = require('../../../dist/child.cjs');

// The bulk benchmark's parent accepts 64 MiB frames; accept the same from it.
connect({ maxMessageSize: 64 * 1024 * 1024 }).then((parent) => {
  parent.onRequest('echo', (params) => params);
  parent.ready();
});
