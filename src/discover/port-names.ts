import type { ListenSocket } from './proc-net.js';

/** A discovered port as the child's Reports take it. */
export interface FoundPort {
  name: string;
  port: number;
  host: string;
}

/** What one scan changed for a run. */
export interface PortChanges {
  added: FoundPort[];
  removed: FoundPort[];
}

/**
 * Names the ports one run was found listening on, and says what changed from scan to scan.
 * A port is one port number (a server on both 0.0.0.0 and :: is one port; IPv4 is shown).
 * Names are slots: the first free one of `portNames`, then the first free of `port-1`,
 * `port-2`, …; a port that closes frees its name for the next one to open. An
 * unspecified address is reported as 127.0.0.1, where a client on this machine reaches it.
 */
export class PortNames {
  readonly #names: readonly string[];
  readonly #open = new Map<number, FoundPort>();

  constructor(names: readonly string[]) {
    this.#names = names;
  }

  /** The ports open now, by port number. */
  get open(): ReadonlyMap<number, FoundPort> {
    return this.#open;
  }

  /**
   * Takes the sockets of one scan; `skip` says which port numbers are already known another
   * way (reported through the SDK) and are not added again.
   */
  update(sockets: readonly ListenSocket[], skip: (port: number) => boolean = () => false): PortChanges {
    const byPort = new Map<number, string>();
    for (const socket of sockets) {
      const host = reachable(socket.host);
      const seen = byPort.get(socket.port);
      if (seen === undefined || (seen.includes(':') && !host.includes(':'))) byPort.set(socket.port, host);
    }
    const removed: FoundPort[] = [];
    for (const [port, found] of this.#open) {
      if (!byPort.has(port)) {
        this.#open.delete(port);
        removed.push(found);
      }
    }
    const added: FoundPort[] = [];
    for (const [port, host] of byPort) {
      if (this.#open.has(port) || skip(port)) continue;
      const found = { name: this.#freeName(), port, host };
      this.#open.set(port, found);
      added.push(found);
    }
    return { added, removed };
  }

  #freeName(): string {
    const taken = new Set([...this.#open.values()].map((found) => found.name));
    const named = this.#names.find((name) => !taken.has(name));
    if (named !== undefined) return named;
    for (let n = 1; ; n++) if (!taken.has(`port-${n}`)) return `port-${n}`;
  }
}

function reachable(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
