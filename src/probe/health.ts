import type { PortInfo } from '../protocol/index.js';
import { quote, toMs, type Duration } from '../options/duration.js';
import { expectInteger, expectObject, expectStringArray, rejectUnknownKeys } from '../options/fields.js';
import { checkExec, type CheckResult } from './checks.js';
import type { PortContext } from './port-ref.js';
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

/** What `spec.health` may say: one probe, and how often and how strictly it runs. */
export interface HealthSpec {
  http?: { port?: number | string; url?: string; path?: string; status?: number };
  tcp?: number | string;
  /** A command and its arguments (no shell), run in the child's cwd; healthy when it exits 0. */
  exec?: string[];
  /** Between the end of one check and the start of the next. Default 5 s. */
  interval?: Duration;
  /** Each check's limit; a slower one fails. Default 2 s. */
  timeout?: Duration;
  /** Consecutive failed checks that make the child unhealthy. Default 3. */
  failures?: number;
}

/** `spec.health`, validated. */
export interface ResolvedHealth {
  probe:
    | { kind: 'http'; target: HttpTarget }
    | { kind: 'tcp'; target: TcpTarget }
    | { kind: 'exec'; command: string[] };
  intervalMs: number;
  timeoutMs: number;
  failures: number;
}

const PROBES = ['http', 'tcp', 'exec'] as const;

/** Validates `spec.health`; a TypeError names the field and quotes the value. */
export function parseHealth(field: string, value: unknown, ports: PortContext): ResolvedHealth | undefined {
  if (value === undefined) return undefined;
  const spec = expectObject(field, value);
  rejectUnknownKeys(field, spec, [...PROBES, 'interval', 'timeout', 'failures']);
  const given = PROBES.filter((key) => spec[key] !== undefined);
  if (given.length !== 1) throw new TypeError(`${field} needs exactly one of http, tcp and exec; got ${quote(value)}`);
  const positive = (name: string, fallback: Duration): number => {
    const ms = toMs(`${field}.${name}`, (spec[name] ?? fallback) as Duration);
    if (ms <= 0) throw new TypeError(`${field}.${name} must be more than 0 ms; got ${quote(spec[name])}`);
    return ms;
  };
  const kind = given[0] as (typeof PROBES)[number];
  let probe: ResolvedHealth['probe'];
  if (kind === 'http') probe = { kind, target: parseHttpTarget(`${field}.http`, spec.http, ports) };
  else if (kind === 'tcp') probe = { kind, target: parseTcpTarget(`${field}.tcp`, spec.tcp, ports) };
  else {
    const command = expectStringArray(`${field}.exec`, spec.exec);
    if (command.length === 0 || command[0] === '')
      throw new TypeError(`${field}.exec must be a command and its arguments; got ${quote(spec.exec)}`);
    probe = { kind, command: [...command] };
  }
  return {
    probe,
    intervalMs: positive('interval', '5s'),
    timeoutMs: positive('timeout', '2s'),
    failures: expectInteger(`${field}.failures`, spec.failures ?? 3, 1, 1000),
  };
}

/** What one run's health checks report to. */
export interface HealthListener {
  /** The run's health changed: 'healthy' after a passing check, 'unhealthy' after `failures` in a row. */
  changed(health: 'healthy' | 'unhealthy', detail: string): void;
}

/**
 * Checks a ready run's health: at once, then `intervalMs` after each check ends, one at a
 * time. A check on a named port that is not reported yet does not count as a failure (the
 * health stays as it was). Returns a function that stops it; a check in flight is then ignored.
 */
export function watchHealth(
  health: ResolvedHealth,
  context: { ports: () => ReadonlyMap<string, PortInfo>; cwd: string | undefined },
  listener: HealthListener,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let failed = 0;
  let current: 'unknown' | 'healthy' | 'unhealthy' = 'unknown';
  const check = async (): Promise<void> => {
    const result = await attemptHealth(health, context);
    if (stopped) return;
    if (result.ok) {
      failed = 0;
      if (current !== 'healthy') {
        current = 'healthy';
        listener.changed(current, result.detail);
      }
    } else if (result.pending !== true && ++failed >= health.failures && current !== 'unhealthy') {
      const detail = `${failed} health check${failed === 1 ? '' : 's'} failed in a row; last: ${result.detail}`;
      current = 'unhealthy';
      listener.changed(current, detail);
    }
    if (!stopped) timer = setTimeout(() => void check(), health.intervalMs);
  };
  void check();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

function attemptHealth(
  health: ResolvedHealth,
  context: { ports: () => ReadonlyMap<string, PortInfo>; cwd: string | undefined },
): Promise<CheckResult> {
  const { probe, timeoutMs } = health;
  if (probe.kind === 'http') return attemptHttp(probe.target, context.ports(), timeoutMs);
  if (probe.kind === 'tcp') return attemptTcp(probe.target, context.ports(), timeoutMs);
  return checkExec(probe.command, timeoutMs, context.cwd);
}

/** What a health check checks, for messages. */
export function describeHealth(health: ResolvedHealth): string {
  const { probe } = health;
  if (probe.kind === 'http') return describeHttp(probe.target);
  if (probe.kind === 'tcp') return describeTcp(probe.target);
  return `${probe.command.join(' ')} to exit 0`;
}
