import type { CheckResult } from './checks.js';
import { pollUntilPass } from './poll.js';
import type { ReadyKind, ReadySignals } from './ready-kind.js';
import {
  attemptHttp,
  attemptTcp,
  describeHttp,
  describeTcp,
  parseHttpTarget,
  parseTcpTarget,
  type HttpTarget,
  type TcpTarget,
} from './targets.js';

/** Each attempt of a readiness probe gets at most this long (or half of readyTimeout, if less). */
export const READY_ATTEMPT_MS = 2000;

/** Ready when a TCP connection opens. */
export interface TcpCondition {
  kind: 'tcp';
  target: TcpTarget;
  attemptMs: number;
}

/** Ready when an HTTP GET answers as expected. */
export interface HttpCondition {
  kind: 'http';
  target: HttpTarget;
  attemptMs: number;
}

function attemptMs(readyTimeoutMs: number): number {
  return Math.max(1, Math.min(READY_ATTEMPT_MS, Math.floor(readyTimeoutMs / 2)));
}

/** Polls with backoff; a port appearing starts an attempt at once. Each result is noted for READY_TIMEOUT. */
function watchProbe(signals: ReadySignals, attempt: () => Promise<CheckResult>, ready: () => void): () => void {
  let stopPoll = pollUntilPass(attempt, (result) => signals.note(result.detail), ready);
  const stopPorts = signals.onPort(() => {
    stopPoll();
    stopPoll = pollUntilPass(attempt, (result) => signals.note(result.detail), ready);
  });
  return () => {
    stopPorts();
    stopPoll();
  };
}

/** `readyWhen: { tcp: portOrName }`. */
export const readyTcp: ReadyKind<TcpCondition> = {
  parse(field, value, context) {
    const spec = value as { tcp: unknown };
    if (Object.keys(spec).length !== 1) throw new TypeError(`${field} { tcp } takes only a port or port name`);
    return {
      kind: 'tcp',
      target: parseTcpTarget(`${field}.tcp`, spec.tcp, context.ports),
      attemptMs: attemptMs(context.readyTimeoutMs),
    };
  },
  watch: (condition, signals, ready) =>
    watchProbe(signals, () => attemptTcp(condition.target, signals.ports(), condition.attemptMs), ready),
  describe: (condition) => describeTcp(condition.target),
};

/** `readyWhen: { http: { port | url, path?, status? } }`. */
export const readyHttp: ReadyKind<HttpCondition> = {
  parse(field, value, context) {
    const spec = value as { http: unknown };
    if (Object.keys(spec).length !== 1)
      throw new TypeError(`${field} { http } takes only { port | url, path, status }`);
    return {
      kind: 'http',
      target: parseHttpTarget(`${field}.http`, spec.http, context.ports),
      attemptMs: attemptMs(context.readyTimeoutMs),
    };
  },
  watch: (condition, signals, ready) =>
    watchProbe(signals, () => attemptHttp(condition.target, signals.ports(), condition.attemptMs), ready),
  describe: (condition) => describeHttp(condition.target),
};
