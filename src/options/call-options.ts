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

// Every name NodeJS.Signals allows: a name the platform lacks (SIGUSR2 on Windows) is a name
// still, which signal() does not send there, as documented; only what is no signal anywhere is refused.
const SIGNAL_NAMES: ReadonlySet<string> = new Set(
  (
    'ABRT ALRM BUS CHLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS ' +
    'TERM TRAP TSTP TTIN TTOU UNUSED URG USR1 USR2 VTALRM WINCH XCPU XFSZ BREAK LOST INFO'
  )
    .split(' ')
    .map((name) => `SIG${name}`),
);

/**
 * Checks a signal given to `child.signal()`: a signal's name in capitals (`'SIGHUP'`), one of
 * Node's on any platform. An unknown one was once swallowed inside the process-group kill, so
 * a typo sent nothing, and none at all was Node's default, SIGTERM.
 */
export function checkSignalName(field: string, signal: unknown): asserts signal is NodeJS.Signals {
  if (typeof signal === 'string' && (SIGNAL_NAMES.has(signal) || Object.hasOwn(constants.signals, signal))) return;
  throw new TypeError(`${field} must be a signal name such as 'SIGHUP' or 'SIGUSR2'; got ${quote(signal)}`);
}
