// procwire SDK child: on each 'bench/go' from the parent, publishes every file's diagnostics,
// one procwire/diagnostics notification per file, as an LSP server does.
const { connect } = require('../../../dist/child.cjs');
const { makeFiles } = require('./make-diagnostics.cjs');

const files = makeFiles();
connect().then((parent) => {
  // Not awaited one by one: a compiler publishes as it goes and the writes queue in order.
  parent.onNotification('bench/go', () => {
    for (const { file, diagnostics } of files) void parent.publishDiagnostics(file, diagnostics);
  });
  parent.ready();
});
