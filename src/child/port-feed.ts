import type { ReadySignals } from '../probe/index.js';
import type { PortInfo } from '../protocol/index.js';

/** What readiness may wait on in a child's ports. */
export type PortSignals = Pick<ReadySignals, 'ports' | 'onPort'>;

/**
 * Hands each port a child reports or the OS finds to whoever waits on ports (readiness
 * probes), besides the child's `port` event: the probes never see the Child.
 */
export class PortFeed {
  readonly signals: PortSignals;
  readonly #listeners = new Set<(port: PortInfo) => void>();

  constructor(ports: () => ReadonlyMap<string, PortInfo>) {
    this.signals = {
      ports,
      onPort: (listener) => {
        this.#listeners.add(listener);
        return () => this.#listeners.delete(listener);
      },
    };
  }

  /** A port was added or replaced. */
  notify(port: PortInfo): void {
    for (const listener of [...this.#listeners]) listener(port);
  }
}
