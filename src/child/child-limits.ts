import { ProcwireError } from '../protocol/index.js';
import { expectLimit, expectObject, rejectUnknownKeys } from '../options/fields.js';

/**
 * Caps on what one child can make the parent hold (`spec.limits`). Each is a whole number,
 * or Infinity for none; going over one is a PROTOCOL_ERROR that closes the connection.
 */
export interface ChildLimits {
  /** Files with diagnostics at once. Default 10,000. */
  diagnosticFiles?: number;
  /** Diagnostics at once, over all files. Default 200,000. */
  diagnostics?: number;
  /** Distinct port names per process. Default 1,000. */
  ports?: number;
  /**
   * Messages the parent has sent that wait unsent because the child does not read (its
   * socket buffer is full). Default 100,000: a parent that sends more than that in one go,
   * without awaiting the sends, to a child that reads slower trips it as well.
   */
  writeBacklog?: number;
}

/** ChildLimits with every cap set. */
export type ResolvedLimits = Readonly<Required<ChildLimits>>;

/**
 * Far above what a toolchain reports (a broken monorepo build: thousands of files, tens of
 * thousands of errors), far below what would take the parent's memory: 200,000 diagnostics
 * are about 100 MB of objects.
 */
export const DEFAULT_CHILD_LIMITS: ResolvedLimits = {
  diagnosticFiles: 10_000,
  diagnostics: 200_000,
  ports: 1_000,
  writeBacklog: 100_000,
};

const LIMIT_KEYS = Object.keys(DEFAULT_CHILD_LIMITS) as (keyof ResolvedLimits)[];

/** Validates `spec.limits` (a TypeError names the field and quotes the value) and fills in defaults. */
export function resolveLimits(field: string, value: unknown): ResolvedLimits {
  if (value === undefined) return DEFAULT_CHILD_LIMITS;
  const limits = expectObject(field, value);
  rejectUnknownKeys(field, limits, LIMIT_KEYS);
  const resolved = { ...DEFAULT_CHILD_LIMITS };
  for (const key of LIMIT_KEYS) {
    if (limits[key] !== undefined) resolved[key] = expectLimit(`${field}.${key}`, limits[key]);
  }
  return resolved;
}

/**
 * The error for a child that went over `limits[key]`: what it did, the cap by name, and
 * how to fix it. The connection adds the child's id and closes.
 */
export function overLimit(what: string, key: keyof ResolvedLimits, limit: number, fix: string): ProcwireError {
  return new ProcwireError(
    'PROTOCOL_ERROR',
    `${what}, over its cap limits.${key} (${limit}); ${fix}, or raise limits.${key} in its spec`,
  );
}
