// Ports found by asking the OS (`spec.ports: 'auto'`): which TCP sockets a child's process group listens on.
export { parseProcNetTcp, type ListenSocket } from './proc-net.js';
export { parseLsof } from './lsof-scan.js';
export { PortNames, type FoundPort, type PortChanges } from './port-names.js';
export {
  FAST_INTERVAL_MS,
  FAST_WINDOW_MS,
  SLOW_INTERVAL_MS,
  PortScanner,
  discoveryUnsupported,
  type GroupWatch,
} from './scheduler.js';
