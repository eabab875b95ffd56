import { quote, toMs, type Duration } from '../options/duration.js';
import type { RestartMode } from '../restart/policy.js';
import {
  expectBoolean,
  expectNumber,
  expectObject,
  expectInteger,
  expectOneOf,
  expectString,
  expectStringArray,
  expectStringRecord,
  rejectUnknownKeys,
} from '../options/fields.js';
import { parseMatchers, type MatcherSpec, type ResolvedMatcher } from '../matchers/index.js';
import {
  parseHealth,
  resolveReadyWhen,
  type HealthSpec,
  type ReadyCondition,
  type ReadyWhen,
  type ResolvedHealth,
} from '../probe/index.js';
import { parseDependsOn, type DependencyCondition } from '../depends/index.js';
import { parseRuntimeRequest, type RuntimeRequest } from '../toolchain/index.js';
import { resolveLimits, type ChildLimits, type ResolvedLimits } from './child-limits.js';

/** What to run and how to supervise it; the argument of `sup.spawn`. */
export interface ChildSpec {
  /** Unique within the supervisor; letters, digits, `.`, `_`, `-`, `:`, `/`, `@`. */
  id: string;
  /**
   * The executable: a path, or a name looked up as `npm run` does (`node_modules/.bin` from the
   * cwd upward, then PATH). With `runtime`, `node` (or `python`, `python3`) is the runtime's binary.
   */
  command: string;
  args?: string[];
  /** Added to (and overriding) the parent's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Spawn -> hello -> ready; a wait for the supervisor's start slot does not count. Default 30 s. */
  readyTimeout?: Duration;
  /** Grace of each stop phase. Default 5 s. */
  stopTimeout?: Duration;
  /** Sent to the process group in the second stop phase. Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** 'required' (default): the child must connect and say ready; 'none': a plain process. */
  connect?: 'required' | 'none';
  /** 'pipe' (default): stdout/stderr become line events; 'inherit': the parent's; 'ignore'. */
  stdio?: 'pipe' | 'inherit' | 'ignore';
  /** When a child that ended by itself is started again. Default 'on-failure'. */
  restart?: RestartMode;
  /** Restarts allowed inside `restartWindow`; one more moves the child to `failed`. Default 5. */
  maxRestarts?: number;
  /** The sliding window restarts are counted in. Default 60 s. */
  restartWindow?: Duration;
  /** Delay before each restart: initial * factor^(restarts in the window), capped, with jitter. */
  backoff?: { initial?: Duration; max?: Duration; factor?: number; jitter?: number };
  /** A period: the SDK beats every third of it; two periods of silence mean hung. Default false. */
  heartbeat?: Duration | false;
  /** Lets this child call `procwire/spawn` and `procwire/stop` to run siblings. Default false. */
  allowControl?: boolean;
  /** Caps on what the child can make the parent hold; see ChildLimits for the defaults. */
  limits?: ChildLimits;
  /** Problem matchers over stdout and stderr lines: built-in names ('$tsc-watch') or VS Code-shaped objects. */
  matchers?: MatcherSpec[];
  /**
   * When a run is ready: 'connect' (default), 'spawn' (default for connect: 'none'), 'cycle',
   * 'port' / { port }, { line }, { tcp }, or { http }.
   */
  readyWhen?: ReadyWhen;
  /**
   * Where ports come from: 'sdk' (default with connect: 'required'), 'auto' (also ask the OS;
   * default for connect: 'none'), 'off'.
   */
  ports?: 'auto' | 'sdk' | 'off';
  /** Names for ports found by the OS, in order of discovery; more are `port-1`, `port-2`, … */
  portNames?: string[];
  /** Start only once these children meet these conditions: { db: 'healthy', migrate: 'exited' }. */
  dependsOn?: Record<string, DependencyCondition>;
  /** Checks after ready: { http | tcp | exec, interval, timeout, failures }; failing ones restart the child. */
  health?: HealthSpec;
  /**
   * The pinned runtime: `{ node: '18' | '18.20.4' | '>=18 <21' | 'lts/*' | 'auto' }` or
   * `{ python: '3.11' | 'auto' }`; `auto` reads the nearest pin file from the cwd upward.
   * Resolved before each spawn; its bin dir goes first on the child's PATH. See `child.runtime`.
   */
  runtime?: { node: string } | { python: string };
}

/** A ChildSpec after validation, with defaults applied and durations in ms. */
export interface ResolvedSpec {
  id: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  stopSignal: NodeJS.Signals;
  connect: 'required' | 'none';
  stdio: 'pipe' | 'inherit' | 'ignore';
  restart: RestartMode;
  maxRestarts: number;
  restartWindowMs: number;
  backoff: { initialMs: number; maxMs: number; factor: number; jitter: number };
  /** 0 when heartbeats are off. */
  heartbeatMs: number;
  allowControl: boolean;
  limits: ResolvedLimits;
  matchers: ResolvedMatcher[];
  readyWhen: ReadyCondition;
  ports: 'auto' | 'sdk' | 'off';
  portNames: string[];
  dependsOn: Record<string, DependencyCondition>;
  health: ResolvedHealth | undefined;
  runtime: RuntimeRequest | undefined;
}

/** Every option a ChildSpec may have; the config schema must list the same. */
export const SPEC_KEYS = [
  'id',
  'command',
  'args',
  'env',
  'cwd',
  'readyTimeout',
  'stopTimeout',
  'stopSignal',
  'connect',
  'stdio',
  'restart',
  'maxRestarts',
  'restartWindow',
  'backoff',
  'heartbeat',
  'allowControl',
  'limits',
  'matchers',
  'readyWhen',
  'ports',
  'portNames',
  'dependsOn',
  'health',
  'runtime',
] as const;
const BACKOFF_KEYS = ['initial', 'max', 'factor', 'jitter'] as const;

const ID_PATTERN = /^[A-Za-z0-9._:/@-]{1,128}$/;
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

/**
 * Validates a spec up front and applies defaults. Throws a TypeError that names the field
 * and quotes the bad value; nothing is spawned for an invalid spec.
 */
export function resolveSpec(input: unknown): ResolvedSpec {
  const spec = expectObject('spec', input);
  rejectUnknownKeys('spec', spec, SPEC_KEYS);
  const id = expectString('spec.id', spec.id);
  if (!ID_PATTERN.test(id)) {
    throw new TypeError(
      `spec.id must be 1-128 characters of letters, digits and . _ : / @ -; got ${JSON.stringify(id)}`,
    );
  }
  const field = (name: string): string => `spec.${name} of child "${id}"`;
  const connect = expectOneOf(field('connect'), spec.connect ?? 'required', ['required', 'none'] as const);
  // Nested fields read better as a path: child "tsc": spec.matchers[0].pattern.regexp …
  const inChild = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw error instanceof TypeError ? new TypeError(`child "${id}": ${error.message}`) : error;
    }
  };
  const matchers = spec.matchers === undefined ? [] : inChild(() => parseMatchers('spec.matchers', spec.matchers));
  const hasCycles = matchers.some((matcher) => matcher.background !== undefined);
  const ports = expectOneOf(field('ports'), spec.ports ?? (connect === 'none' ? 'auto' : 'sdk'), PORT_SOURCES);
  const portNames = resolvePortNames(field('portNames'), spec.portNames);
  const readyTimeoutMs = toMs(field('readyTimeout'), (spec.readyTimeout ?? '30s') as Duration);
  const portContext = { sdk: connect === 'required', os: ports === 'auto', names: portNames };
  const stdio = expectOneOf(field('stdio'), spec.stdio ?? 'pipe', ['pipe', 'inherit', 'ignore'] as const);
  const readyWhen = inChild(() =>
    resolveReadyWhen('spec.readyWhen', spec.readyWhen, { connect, hasCycles, ports: portContext, readyTimeoutMs }),
  );
  const reader = matchers.length > 0 ? 'spec.matchers' : readyWhen.kind === 'line' ? 'spec.readyWhen.line' : undefined;
  if (reader !== undefined && stdio !== 'pipe') {
    // With 'inherit' or 'ignore' the output never passes through the parent: a matcher would
    // find nothing and a line wait would end only in READY_TIMEOUT.
    throw new TypeError(
      `${reader} of child "${id}" reads the child's output, which stdio ${quote(stdio)} keeps from procwire; ` +
        "leave spec.stdio out (it is 'pipe' by default; procwire run prints the lines)",
    );
  }
  return {
    id,
    command: expectString(field('command'), spec.command),
    args: spec.args === undefined ? [] : [...expectStringArray(field('args'), spec.args)],
    env: spec.env === undefined ? {} : { ...expectStringRecord(field('env'), spec.env) },
    cwd: spec.cwd === undefined ? undefined : expectString(field('cwd'), spec.cwd),
    readyTimeoutMs,
    stopTimeoutMs: toMs(field('stopTimeout'), (spec.stopTimeout ?? '5s') as Duration),
    stopSignal: expectOneOf(field('stopSignal'), spec.stopSignal ?? 'SIGTERM', SIGNALS),
    connect,
    stdio,
    restart: expectOneOf(field('restart'), spec.restart ?? 'on-failure', ['always', 'on-failure', 'never'] as const),
    maxRestarts: expectInteger(field('maxRestarts'), spec.maxRestarts ?? 5, 0),
    restartWindowMs: positive(
      field('restartWindow'),
      toMs(field('restartWindow'), (spec.restartWindow ?? '60s') as Duration),
    ),
    backoff: resolveBackoff(field('backoff'), spec.backoff ?? {}),
    heartbeatMs:
      spec.heartbeat === undefined || spec.heartbeat === false
        ? 0
        : positive(field('heartbeat'), toMs(field('heartbeat'), spec.heartbeat as Duration)),
    allowControl: expectBoolean(field('allowControl'), spec.allowControl ?? false),
    limits: resolveLimits(field('limits'), spec.limits),
    matchers,
    readyWhen,
    ports,
    portNames,
    dependsOn: parseDependsOn(field('dependsOn'), spec.dependsOn, id),
    health: inChild(() => parseHealth('spec.health', spec.health, portContext)),
    runtime: spec.runtime === undefined ? undefined : parseRuntimeRequest(field('runtime'), spec.runtime),
  };
}

const PORT_SOURCES = ['auto', 'sdk', 'off'] as const;

function resolvePortNames(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  const names = expectStringArray(name, value);
  const seen = new Set<string>();
  for (const each of names) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(each) || /^port-[0-9]+$/.test(each) || seen.has(each)) {
      throw new TypeError(
        `${name} must be distinct names of 1-64 letters, digits and . _ - (not port-<n>); got ${JSON.stringify(each)}`,
      );
    }
    seen.add(each);
  }
  return [...names];
}

function resolveBackoff(name: string, value: unknown): ResolvedSpec['backoff'] {
  const backoff = expectObject(name, value);
  rejectUnknownKeys(name, backoff, BACKOFF_KEYS);
  const initialMs = toMs(`${name}.initial`, (backoff.initial ?? '100ms') as Duration);
  const maxMs = toMs(`${name}.max`, (backoff.max ?? '10s') as Duration);
  if (maxMs < initialMs)
    throw new TypeError(`${name}.max (${maxMs} ms) must not be less than ${name}.initial (${initialMs} ms)`);
  return {
    initialMs,
    maxMs,
    factor: expectNumber(`${name}.factor`, backoff.factor ?? 2, 1, 100),
    jitter: expectNumber(`${name}.jitter`, backoff.jitter ?? 0.2, 0, 1),
  };
}

function positive(name: string, ms: number): number {
  if (ms <= 0) throw new TypeError(`${name} must be more than 0 ms; got ${ms}`);
  return ms;
}
