import { expectObject, expectOneOf, rejectUnknownKeys } from '../options/fields.js';
import { guardedExec, slowRegExpAdvice, type ExecGuard } from '../options/guarded-exec.js';
import { expectRegExp } from '../options/regexp.js';
import type { OutputStream, ReadyKind } from './ready-kind.js';

/** Ready when an output line matches; on one stream, or either. */
export interface LineCondition {
  kind: 'line';
  regexp: RegExp;
  stream: OutputStream | undefined;
}

/**
 * `readyWhen: { line: 'regexp', stream?: 'stdout' | 'stderr' }`. The regexp is checked up
 * front (as matchers' are) and runs over lines as matchers see them: at most 4,096
 * characters, colour and carriage returns removed. It is guarded as a custom matcher is: once
 * too slow on a line, it is switched off with a warning, and the wait fails at once, since no
 * later line could make the run ready.
 */
export const readyLine: ReadyKind<LineCondition> = {
  parse(field, value) {
    const spec = expectObject(field, value);
    rejectUnknownKeys(field, spec, ['line', 'stream']);
    return {
      kind: 'line',
      regexp: expectRegExp(`${field}.line`, spec.line),
      stream:
        spec.stream === undefined
          ? undefined
          : expectOneOf(`${field}.stream`, spec.stream, ['stdout', 'stderr'] as const),
    };
  },
  watch(condition, signals, ready) {
    // Off for the child's life, as a matcher's: a restart would stall the parent on the same line.
    if (signals.switchedOff.has(condition)) {
      queueMicrotask(() =>
        signals.giveUp(
          `an earlier run of this child found that regexp too slow and switched it off (see its log). ` +
            'Fix the regexp and spawn the child anew',
        ),
      );
      return () => {};
    }
    const guard: ExecGuard = {
      off: false,
      timed: true,
      slow(ms, regexp) {
        signals.switchedOff.add(condition);
        const took = `took ${Math.round(ms)} ms on one line`;
        signals.warn(
          `readyWhen.line's regexp /${regexp.source}/ is switched off for this child: it ${took} ${slowRegExpAdvice()}`,
        );
        signals.giveUp(`that regexp ${took} and was switched off ${slowRegExpAdvice()}`);
      },
    };
    return signals.onLine((line, stream) => {
      if (condition.stream !== undefined && condition.stream !== stream) return;
      if (guardedExec(guard, condition.regexp, line) !== null) ready();
    });
  },
  describe: (condition) => `a line of ${condition.stream ?? 'stdout or stderr'} to match /${condition.regexp.source}/`,
};
