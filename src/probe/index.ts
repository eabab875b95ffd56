// Readiness conditions (`spec.readyWhen`): one module per kind, dispatched by ready-when.ts.
export type { OutputStream, ReadyContext, ReadyKind, ReadySignals } from './ready-kind.js';
export { describeReady, resolveReadyWhen, watchReady, type ReadyCondition, type ReadyWhen } from './ready-when.js';
