import { defaultMaxConcurrentStarts } from './child/start-gate.js';
import type { EndpointOptions } from './endpoint/index.js';
import { toMs, type Duration } from './options/duration.js';
import { expectInteger, expectLimit, expectObject, expectString, rejectUnknownKeys } from './options/fields.js';
import { DEFAULT_FRAME_DEADLINE_MS, DEFAULT_MAX_MESSAGE_SIZE } from './protocol/index.js';

/** Options of {@link Supervisor.start}. */
export interface SupervisorOptions {
  /** How long a connection may take to say hello. Default 10 s. */
  connectTimeout?: Duration;
  /** Largest frame accepted from a child, in bytes. Default 16 MiB. */
  maxMessageSize?: number;
  /**
   * A frame that has started arriving must be complete within this; a stalled one closes
   * the connection. Default 30 s.
   */
  frameTimeout?: Duration;
  /** Base directory for the private socket directory. Default `$XDG_RUNTIME_DIR`, then the temp dir. */
  socketDir?: string;
  /** Listen on exactly this path instead (its directory must exist and be private to you). */
  socketPath?: string;
  /**
   * A directory where live children are written down, one `child-<supervisor pid>-<child
   * pid>.json` each; nothing else in it is read or removed. Created 0700 if missing; an
   * existing one must be yours, not a symlink, and not writable by group or others (it is
   * never chmodded), or start throws a TypeError. A supervisor started with the same
   * stateDir after one that was killed stops that one's children that still run (checked by
   * boot id, pid, start time, and that the pid still leads its own group) before it starts,
   * and lists them in `sup.reaped`. Linux only; elsewhere stale records are removed and
   * nothing is killed.
   */
  stateDir?: string;
  /**
   * How many children may be between spawn and ready at once, across all children and pools
   * of this supervisor; more starts (restarts too) wait in FIFO order, in state `starting`,
   * and their readyTimeout counts from their spawn. A positive integer, or Infinity for no
   * limit. Default twice the CPUs (`os.availableParallelism()`).
   */
  maxConcurrentStarts?: number;
}

const OPTION_KEYS = [
  'connectTimeout',
  'maxMessageSize',
  'frameTimeout',
  'socketDir',
  'socketPath',
  'stateDir',
  'maxConcurrentStarts',
] as const;

/** What `Supervisor.start` builds from its options. */
export interface ResolvedSupervisorOptions {
  maxConcurrentStarts: number;
  stateDir: string | undefined;
  endpoint: EndpointOptions;
}

/** Checks the options of `Supervisor.start` (a TypeError names a bad one) and fills in the defaults. */
export function resolveSupervisorOptions(options: SupervisorOptions): ResolvedSupervisorOptions {
  const checked = expectObject('options', options);
  rejectUnknownKeys('Supervisor.start options', checked, OPTION_KEYS);
  return {
    maxConcurrentStarts: expectLimit(
      'maxConcurrentStarts',
      options.maxConcurrentStarts ?? defaultMaxConcurrentStarts(),
    ),
    stateDir: options.stateDir === undefined ? undefined : expectString('stateDir', options.stateDir),
    endpoint: {
      connectTimeoutMs: toMs('connectTimeout', options.connectTimeout ?? '10s'),
      maxMessageSize: expectInteger('maxMessageSize', options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE, 1024),
      frameTimeoutMs: toMs('frameTimeout', options.frameTimeout ?? DEFAULT_FRAME_DEADLINE_MS),
      socketDir: options.socketDir === undefined ? undefined : expectString('socketDir', options.socketDir),
      socketPath: options.socketPath === undefined ? undefined : expectString('socketPath', options.socketPath),
    },
  };
}
