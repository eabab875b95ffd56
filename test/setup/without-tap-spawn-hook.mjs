// Loaded into every test process (package.json, tap.node-arg). tap's process-info hook
// wraps child_process so that every process a test spawns gets tap's --import in its
// NODE_OPTIONS, whatever env it was given. That preload starts a loader thread in each Node
// child: about 0.3 CPU-seconds per process, several times a bare Node's start, over the
// thousands of children the suite spawns. procwire's tests spawn children to watch them
// behave, not to be traced, and coverage is off, so the hook goes: the listeners are cleared
// and the preload leaves this process's NODE_OPTIONS, which children inherit.
const hooks = globalThis[Symbol.for('process-on-spawn@*:singletonId')];
if (hooks && Array.isArray(hooks.listeners)) hooks.listeners.length = 0;

const options = process.env.NODE_OPTIONS;
if (options !== undefined) {
  // Tokens as Node reads them: a double-quoted one may hold spaces.
  const kept = (options.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [])
    .filter((arg) => !/@tapjs[\\/]processinfo/.test(arg))
    .join(' ');
  if (kept === '') delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = kept;
}
