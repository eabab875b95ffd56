import { quote } from '../options/duration.js';
import type { ReadyKind } from './ready-kind.js';

/** Ready when the child's connection says `procwire/ready`: the default for a child with the SDK. */
export interface ConnectCondition {
  kind: 'connect';
}

/** `readyWhen: 'connect'`; needs `connect: 'required'`. */
export const readyConnect: ReadyKind<ConnectCondition> = {
  parse(field, value, context) {
    if (context.connect === 'none') {
      throw new TypeError(
        `${field} ${quote(value)} needs connect: 'required' (a plain process never connects); ` +
          `use 'spawn', 'cycle' or { line } instead`,
      );
    }
    return { kind: 'connect' };
  },
  watch(_condition, signals, ready) {
    let waiting = true;
    void signals.connectionReady.then(() => {
      if (waiting) ready();
    });
    return () => {
      waiting = false;
    };
  },
  describe: () => 'its connection to say procwire/ready',
};
