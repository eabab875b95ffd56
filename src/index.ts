export { childSdkPath, childSdkStandalonePath, registerPath } from './paths.js';
export { Supervisor, type SupervisorOptions, type SupervisorStats, type SupervisorEvents } from './supervisor.js';
export { Child, type ChildEvents } from './child/child.js';
export type { ChildHealth } from './child/events.js';
export type { DependencyCondition } from './depends/index.js';
export type { HealthSpec } from './probe/index.js';
export { Pool, type PoolStats, type TaskOptions } from './pool/pool.js';
export type { PoolOptions } from './pool/options.js';
export { ControlErrorCodes } from './child/sibling-control.js';
export type { ChildSpec } from './child/spec.js';
export type { ResolvedRuntime, RuntimeName } from './toolchain/index.js';
export type { ChildState, ChildStateKind, RestartInfo } from './child/state.js';
export type { RequestOptions } from './child/child-connection.js';
export type { WaitOptions } from './child/wait-for-port.js';
export type { StopResult, ExitInfo } from './terminate/stop-result.js';
export type { ReapedChild } from './terminate/state-dir.js';
export type { Duration } from './options/duration.js';
export type { CycleEvent, MatcherObject, MatcherSpec, PatternObject, WatchPatternSpec } from './matchers/index.js';
export type { ReadyWhen } from './probe/index.js';
export {
  ProcwireError,
  isProcwireError,
  Methods,
  PROTOCOL_VERSION,
  DEFAULT_MAX_MESSAGE_SIZE,
  type ProcwireErrorCode,
  type Diagnostic,
  type DiagnosticSeverity,
  type Position,
  type Range,
  type PortInfo,
  type LogEntry,
  type LogLevel,
  type HandlerContext,
  type RequestHandler,
  type NotificationHandler,
  ResponseError,
} from './protocol/index.js';
export {
  createControlHandler,
  serveControlSocket,
  serveDashboard,
  controlSocketPath,
  ControlSocketInUse,
  requestJson,
  streamEvents,
  ControlRequestError,
  type SseMessage,
  type ControlHandler,
  type ControlHandlerOptions,
  type ControlStats,
  type ControlSocket,
  type Dashboard,
  type DashboardOptions,
  type ChildView,
  type LogLine,
  type EventData,
  type EventType,
} from './control/index.js';
