import type { ResolvedRuntime } from '../toolchain/index.js';
import type { ConnectionHooks } from './child-connection.js';
import type { PortSignals } from './port-feed.js';
import type { Run } from './run.js';
import type { OutputSignals } from './run-output.js';
import type { OutputSinks } from './spawn-process.js';

/** Everything a launch tells its child about the run it starts, in one object. */
export interface RunHooks {
  /** The run's stdout and stderr lines. */
  output: OutputSinks;
  /** What readiness may wait on in the run's output: lines, watch cycles. */
  signals: OutputSignals;
  /** What readiness may wait on in the child's ports. */
  ports: PortSignals;
  /** The runtime this run will use was resolved (undefined: the spec pins none); nothing is spawned yet. */
  resolved(runtime: ResolvedRuntime | undefined): void;
  /** The process exists (it is not ready yet). */
  spawned(run: Run): void;
  /** What the run's connection reports, once it is accepted. */
  connection(run: Run): ConnectionHooks;
  /** The run stopped sending heartbeats. */
  hung(run: Run): void;
}
