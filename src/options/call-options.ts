import { constants } from 'node:os';
import { quote, toMs, type Duration } from './duration.js';
import { expectObject, rejectUnknownKeys } from './fields.js';

/**
 * Checks the options of a call that may wait (a request, a task, a wait for a port) before
 * anything is sent: an object with at most `timeout` (a Duration) and `signal` (an
 * AbortSignal). A TypeError names the field, so a typo (`timout`) is never a call that quietly
 * waits without a limit.
 */
export function checkCallOptions(field: string, options: unknown): void {
  if (options === undefined) return;
  const value = expectObject(field, options);
  rejectUnknownKeys(field, value, ['timeout', 'signal']);
  if (value.timeout !== undefined) toMs(`${field}.timeout`, value.timeout as Duration);
  if (value.signal !== undefined && !(value.signal instanceof AbortSignal)) {
    throw new TypeError(`${field}.signal must be an AbortSignal; got ${quote(value.signal)}`);
  }
}

/**
 * Checks a signal given to `child.signal()`: one of the names Node knows here
 * (`os.constants.signals`), in capitals. Node itself would throw on an unknown name, but
 * from inside the process-group kill, where it was once swallowed: a typo sent nothing.
 */
export function checkSignalName(field: string, signal: unknown): asserts signal is NodeJS.Signals {
  if (typeof signal === 'string' && Object.hasOwn(constants.signals, signal)) return;
  throw new TypeError(`${field} must be a signal name such as 'SIGHUP' or 'SIGUSR2'; got ${quote(signal)}`);
}
