import type { HandlerTable, LogEntry, PortInfo, ProcwireError } from '../protocol/index.js';
import type { ConnectionHooks } from './child-connection.js';
import type { Reports } from './reports.js';
import type { Run } from './run.js';
import { serveControl, type ControlTarget } from './sibling-control.js';

/** What one run's connection reports go to. */
export interface ConnectionHookDeps {
  childId: string;
  reports: Reports;
  handlers: HandlerTable;
  /** What `allowControl` grants, or undefined (then procwire/spawn and procwire/stop are refused). */
  control: ControlTarget | undefined;
  /** True while `run` is the child's current run (not replaced by a newer one). */
  isCurrent(run: Run): boolean;
  log(entry: LogEntry): void;
  protocolError(error: ProcwireError): void;
  /** The connection of a run closed while the run still goes on. */
  closed(run: Run): void;
}

/**
 * The hooks of one run's connection: a report is taken only while it can still be true.
 * A port reported after its process has exited is dropped (the port died with it); a dead run's
 * diagnostics still count (a crash diagnostic) but a replaced run's do not. A protocol
 * violation condemns the run, and the restart policy judges it as a failure.
 */
export function connectionHooks(run: Run, deps: ConnectionHookDeps): ConnectionHooks {
  return {
    port: (params) => {
      if (run.exit !== undefined) return;
      const port: PortInfo = { name: params.name, port: params.port, host: params.host ?? '127.0.0.1' };
      if (params.protocol !== undefined) port.protocol = params.protocol;
      deps.reports.setPort(port);
    },
    portRemoved: ({ name }) => {
      // The child speaks for the ports it reported; one the OS found goes when the OS says so.
      if (!deps.isCurrent(run) || deps.reports.ports.get(name)?.source === 'os') return;
      deps.reports.removePort(name);
    },
    diagnostics: ({ file, diagnostics }) => {
      if (!deps.isCurrent(run)) return;
      deps.reports.setDiagnostics(file, diagnostics);
    },
    log: (entry) => deps.log(entry),
    request: (method, params, context) => deps.handlers.request(method, params, context),
    control: (method, params) => serveControl(deps.control, deps.childId, method, params),
    notification: (method, params) =>
      deps.handlers.notify(method, params, (error) =>
        deps.log({
          level: 'error',
          message:
            `procwire: child "${deps.childId}": the parent's handler of notification "${method}" failed: ` +
            `${describeError(error)}; catch what it can throw (a notification has no caller to tell)`,
        }),
      ),
    protocolError: (error) => {
      run.condemn({ reason: 'protocol', error });
      deps.protocolError(error);
    },
    closed: () => deps.closed(run),
  };
}

/** An error's stack (its message and where it was thrown), or what was thrown, for a log line. */
function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}
