// Floor child for scale.mjs: the least a connected child can be, a plain Node process that
// says ready over child_process.fork's built-in IPC channel and then idles. The listener
// holds the channel open; when the parent goes, the channel closes and the process exits.
process.on('message', () => undefined);
process.send('ready');
