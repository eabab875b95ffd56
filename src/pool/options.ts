import type { ChildSpec } from '../child/spec.js';
import { toMs, type Duration } from '../options/duration.js';
import { expectInteger, expectObject, expectString, rejectUnknownKeys } from '../options/fields.js';

/** The argument of `sup.pool`. */
export interface PoolOptions {
  /** Unique among pools; workers are children named `<id>/1` … `<id>/<size>`. */
  id: string;
  size: number;
  /** Every worker's spec, without an id. `restart` defaults to 'always' here. */
  spec: Omit<ChildSpec, 'id'>;
  /** Replace a worker with a fresh process after it has served this many tasks. Default: never. */
  maxTasksPerWorker?: number;
  /** How long one attempt of a task may take. Default: no limit. */
  taskTimeout?: Duration;
  /** How often a task whose worker died or timed out is tried again elsewhere. Default 0. */
  retries?: number;
  /** Tasks one worker runs at once. Default 1. */
  concurrency?: number;
}

/** PoolOptions after validation. */
export interface ResolvedPoolOptions {
  id: string;
  size: number;
  spec: Omit<ChildSpec, 'id'>;
  maxTasksPerWorker: number;
  taskTimeoutMs: number | undefined;
  retries: number;
  concurrency: number;
}

const KEYS = ['id', 'size', 'spec', 'maxTasksPerWorker', 'taskTimeout', 'retries', 'concurrency'] as const;

/** Validates pool options up front; throws a TypeError naming the field and quoting the value. */
export function resolvePoolOptions(input: unknown): ResolvedPoolOptions {
  const options = expectObject('pool options', input);
  rejectUnknownKeys('pool options', options, KEYS);
  const id = expectString('pool id', options.id);
  if (!/^[A-Za-z0-9._:@-]{1,100}$/.test(id))
    throw new TypeError(`pool id must be 1-100 characters of letters, digits and . _ : @ -; got ${JSON.stringify(id)}`);
  const spec = expectObject(`pool "${id}" spec`, options.spec);
  if ('id' in spec) {
    throw new TypeError(`pool "${id}" spec must not have an id: workers are named ${id}/1, ${id}/2, …`);
  }
  // A task is a request to a worker over its connection: a worker that never connects would
  // leave every task queued for ever.
  if (spec.connect !== undefined && spec.connect !== 'required') {
    throw new TypeError(
      `pool "${id}" spec.connect must be 'required' (the default): tasks are requests over a worker's ` +
        `connection, so a worker must use procwire/child; got ${JSON.stringify(spec.connect)}`,
    );
  }
  return {
    id,
    size: expectInteger(`pool "${id}" size`, options.size, 1, 1024),
    spec: spec as Omit<ChildSpec, 'id'>,
    maxTasksPerWorker:
      options.maxTasksPerWorker === undefined
        ? 0
        : expectInteger(`pool "${id}" maxTasksPerWorker`, options.maxTasksPerWorker, 1),
    taskTimeoutMs:
      options.taskTimeout === undefined ? undefined : toMs(`pool "${id}" taskTimeout`, options.taskTimeout as Duration),
    retries: options.retries === undefined ? 0 : expectInteger(`pool "${id}" retries`, options.retries, 0, 100),
    concurrency:
      options.concurrency === undefined ? 1 : expectInteger(`pool "${id}" concurrency`, options.concurrency, 1, 1024),
  };
}
