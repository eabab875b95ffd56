import { quote } from './duration.js';

// Small checkers that throw a TypeError naming the field and quoting the bad value, so a
// mistake in options is reported where it was made, before anything is started.

export function expectString(field: string, value: unknown, { nonEmpty = true } = {}): string {
  if (typeof value !== 'string' || (nonEmpty && value.length === 0)) {
    throw new TypeError(`${field} must be a${nonEmpty ? ' non-empty' : ''} string; got ${quote(value)}`);
  }
  return value;
}

export function expectOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${quote(value)}`);
  }
  return value as T;
}

export function expectInteger(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${field} must be an integer from ${min} to ${max}; got ${quote(value)}`);
  }
  return value;
}

/** A limit: a whole number of at least 1, or Infinity for none. */
export function expectLimit(field: string, value: unknown): number {
  if (value === Infinity) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`${field} must be a whole number of at least 1, or Infinity for no limit; got ${quote(value)}`);
  }
  return value;
}

export function expectNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`${field} must be a number from ${min} to ${max}; got ${quote(value)}`);
  }
  return value;
}

export function expectBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${field} must be true or false; got ${quote(value)}`);
  return value;
}

export function expectStringArray(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TypeError(`${field} must be an array of strings; got ${quote(value)}`);
  }
  return value;
}

export function expectStringRecord(field: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${field} must be an object of string values; got ${quote(value)}`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new TypeError(`${field}.${key} must be a string; got ${quote(item)}`);
  }
  return value as Record<string, string>;
}

export function expectObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${field} must be an object; got ${quote(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Rejects keys the caller did not mean: a typo like `readyTimout` should not pass silently. */
export function rejectUnknownKeys(field: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${field} has an unknown option ${quote(key)}; known options: ${known.join(', ')}`);
    }
  }
}
