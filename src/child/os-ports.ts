import { discoveryUnsupported, PortNames, type GroupWatch, type PortScanner } from '../discover/index.js';
import type { EmitChildEvent } from './events.js';
import type { Reports } from './reports.js';
import type { ResolvedSpec } from './spec.js';

/**
 * Finds the ports one run's process group listens on (`spec.ports: 'auto'`) and feeds them
 * to the child's Reports as `source: 'os'` (port and port-removed events), until the run's
 * process exits. A port the SDK already reported (same number) is not added twice. Returns
 * undefined, costing nothing, for 'sdk' and 'off', and where the OS cannot be asked (once
 * per process, a warning log says what is missing).
 */
export function watchOsPorts(
  spec: ResolvedSpec,
  pid: number,
  reports: Reports,
  emit: EmitChildEvent,
  scanner: PortScanner,
): GroupWatch | undefined {
  if (spec.ports !== 'auto') return undefined;
  const unsupported = discoveryUnsupported();
  if (unsupported !== undefined) {
    if (scanner.firstWarning()) emit('log', { level: 'warn', message: `procwire: ${unsupported}` });
    return undefined;
  }
  const names = new PortNames(spec.portNames);
  let stopped = false;
  const watch = scanner.watch(pid, (sockets) => {
    if (stopped) return;
    const skip = (port: number): boolean =>
      [...reports.ports.values()].some((known) => known.port === port && known.source !== 'os');
    const { added, removed } = names.update(sockets, skip);
    for (const port of removed) reports.removePort(port.name);
    for (const port of added) {
      try {
        reports.setPort({ ...port, source: 'os' });
      } catch {
        // Over limits.ports: the port is not shown; the cap's own warning is the SDK's concern.
      }
    }
  });
  return {
    settle: () => watch.settle(),
    stop: () => {
      stopped = true;
      watch.stop();
    },
  };
}
