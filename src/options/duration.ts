import ms from 'ms';

/** A number of milliseconds, or an `ms` string such as '100ms', '5s', '2m'. */
export type Duration = number | string;

/**
 * Converts a Duration to milliseconds. Throws a TypeError that names `field` and quotes the
 * value when it is not a finite, non-negative duration.
 */
export function toMs(field: string, value: Duration): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? ms(value as ms.StringValue) : NaN;
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < 0) {
    throw new TypeError(
      `${field} must be a non-negative duration (milliseconds or a string like '100ms', '5s', '2m'); ` +
        `got ${quote(value)}`,
    );
  }
  return parsed;
}

/** Renders a value for an error message, short and unambiguous. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // JSON would render NaN and ±Infinity as null.
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    // Circular values fall through to String().
  }
  return String(value);
}
