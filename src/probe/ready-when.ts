import { quote } from '../options/duration.js';
import { readyConnect, type ConnectCondition } from './ready-connect.js';
import { readyCycle, type CycleCondition } from './ready-cycle.js';
import type { ReadyContext, ReadyKind, ReadySignals } from './ready-kind.js';
import { readyLine, type LineCondition } from './ready-line.js';
import { readySpawn, type SpawnCondition } from './ready-spawn.js';
import { readyPort, type PortCondition } from './ready-port.js';
import { readyHttp, readyTcp, type HttpCondition, type TcpCondition } from './ready-probe.js';

/** When a run counts as ready (`spec.readyWhen`, resolved). One module per kind. */
export type ReadyCondition =
  | ConnectCondition
  | SpawnCondition
  | CycleCondition
  | LineCondition
  | PortCondition
  | TcpCondition
  | HttpCondition;

/** What a spec's `readyWhen` may say. */
export type ReadyWhen =
  | 'connect'
  | 'spawn'
  | 'cycle'
  | 'port'
  | { line: string; stream?: 'stdout' | 'stderr' }
  | { port: string }
  | { tcp: number | string }
  | { http: { port?: number | string; url?: string; path?: string; status?: number } };

type Kinds = { [K in ReadyCondition['kind']]: ReadyKind<Extract<ReadyCondition, { kind: K }>> };

const KINDS: Kinds = {
  connect: readyConnect,
  spawn: readySpawn,
  cycle: readyCycle,
  line: readyLine,
  port: readyPort,
  tcp: readyTcp,
  http: readyHttp,
};
/** Kinds named by a string. */
const NAMED = ['connect', 'spawn', 'cycle', 'port'] as const;
/** Kinds given as an object, recognised by their key. */
const KEYED = ['line', 'port', 'tcp', 'http'] as const;

function kindOf(condition: ReadyCondition): ReadyKind<ReadyCondition> {
  return KINDS[condition.kind] as ReadyKind<ReadyCondition>;
}

/**
 * Validates `spec.readyWhen` up front; undefined means the default: 'connect' for a child
 * that connects, 'spawn' for `connect: 'none'`. Throws a TypeError naming the field and
 * quoting the value for an unknown form, or a kind the child cannot satisfy.
 */
export function resolveReadyWhen(field: string, value: unknown, context: ReadyContext): ReadyCondition {
  if (value === undefined) return { kind: context.connect === 'none' ? 'spawn' : 'connect' };
  if (typeof value === 'string' && (NAMED as readonly string[]).includes(value)) {
    const kind = value as (typeof NAMED)[number];
    return KINDS[kind].parse(field, value, context);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = KEYED.filter((key) => key in value);
    if (keys.length === 1) return KINDS[keys[0] as (typeof KEYED)[number]].parse(field, value, context);
  }
  const forms = [...NAMED.map((name) => `'${name}'`), ...KEYED.map((key) => `{ ${key} }`)];
  throw new TypeError(`${field} must be one of ${forms.join(', ')}; got ${quote(value)}`);
}

/** Starts waiting for `condition`; `ready` is called once it holds. Returns a function that stops waiting. */
export function watchReady(condition: ReadyCondition, signals: ReadySignals, ready: () => void): () => void {
  let fired = false;
  const once = (): void => {
    if (fired) return;
    fired = true;
    ready();
  };
  return kindOf(condition).watch(condition, signals, once);
}

/** What `condition` waits for, for a READY_TIMEOUT message. */
export function describeReady(condition: ReadyCondition): string {
  return kindOf(condition).describe(condition);
}
