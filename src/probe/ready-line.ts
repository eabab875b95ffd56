import { expectObject, expectOneOf, rejectUnknownKeys } from '../options/fields.js';
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
 * characters, colour and carriage returns removed.
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
    return signals.onLine((line, stream) => {
      if ((condition.stream === undefined || condition.stream === stream) && condition.regexp.test(line)) ready();
    });
  },
  describe: (condition) => `a line of ${condition.stream ?? 'stdout or stderr'} to match /${condition.regexp.source}/`,
};
