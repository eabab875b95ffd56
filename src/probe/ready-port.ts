import { quote } from '../options/duration.js';
import type { ReadyKind } from './ready-kind.js';
import { parsePortRef } from './port-ref.js';

/** Ready when a port is reported or discovered: any (`'port'`), or the one named. */
export interface PortCondition {
  kind: 'port';
  name: string | undefined;
}

/** `readyWhen: 'port'` or `{ port: name }`. */
export const readyPort: ReadyKind<PortCondition> = {
  parse(field, value, context) {
    if (value === 'port') {
      if (!context.ports.sdk && !context.ports.os)
        throw new TypeError(`${field} ${quote(value)} needs ports: 'auto' or the SDK: this child can have no ports`);
      return { kind: 'port', name: undefined };
    }
    const spec = value as { port: unknown };
    if (Object.keys(spec).length !== 1)
      throw new TypeError(`${field} { port } takes only a port name; got ${quote(value)}`);
    const ref = parsePortRef(`${field}.port`, spec.port, context.ports);
    if ('number' in ref)
      throw new TypeError(`${field}.port must be a port name; use { tcp: ${ref.number} } for a number`);
    return { kind: 'port', name: ref.name };
  },
  watch(condition, signals, ready) {
    const holds = (): boolean =>
      condition.name === undefined ? signals.ports().size > 0 : signals.ports().has(condition.name);
    if (holds()) {
      ready();
      return () => undefined;
    }
    return signals.onPort(() => {
      if (holds()) ready();
    });
  },
  describe: (condition) =>
    condition.name === undefined ? 'a port to be reported or found' : `port "${condition.name}"`,
};
