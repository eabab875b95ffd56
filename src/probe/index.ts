// Readiness conditions (`spec.readyWhen`): one module per kind, dispatched by ready-when.ts.
export type { OutputStream, ReadyContext, ReadyKind, ReadySignals } from './ready-kind.js';
export { describeReady, resolveReadyWhen, watchReady, type ReadyCondition, type ReadyWhen } from './ready-when.js';
// Probes shared by readiness and health, and the host rules they keep.
export { BODY_LIMIT, checkExec, checkHttp, checkTcp, type CheckResult } from './checks.js';
export { isHostAddress, isLoopback, probeHost } from './loopback.js';
export type { PortContext } from './port-ref.js';
export { describeHealth, parseHealth, watchHealth, type HealthSpec, type ResolvedHealth } from './health.js';
