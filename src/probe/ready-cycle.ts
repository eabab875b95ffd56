import { quote } from '../options/duration.js';
import type { ReadyKind } from './ready-kind.js';

/** Ready when the run's first watch cycle has ended (a `background` matcher saw its end line). */
export interface CycleCondition {
  kind: 'cycle';
}

/** `readyWhen: 'cycle'`; needs a matcher with `background`. */
export const readyCycle: ReadyKind<CycleCondition> = {
  parse(field, value, context) {
    if (!context.hasCycles) {
      throw new TypeError(
        `${field} ${quote(value)} needs a matcher with background (such as '$tsc-watch') in spec.matchers, ` +
          `or there is no cycle to wait for`,
      );
    }
    return { kind: 'cycle' };
  },
  watch(_condition, signals, ready) {
    const stopEnds = signals.onCycleEnd(ready);
    const stopOff = signals.onCyclesOff(() =>
      signals.giveUp('the background matchers that end its cycles were switched off as too slow (see its log)'),
    );
    return () => {
      stopEnds();
      stopOff();
    };
  },
  describe: () => 'its first watch cycle to end (a line matching the endsPattern of a background matcher)',
};
