// child_process.fork's IPC channel (JSON serialisation): echo every message.
process.on('message', (message) => process.send(message));
process.on('disconnect', () => process.exit(0));
