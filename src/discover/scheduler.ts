import type { ListenSocket } from './proc-net.js';
import { newLinuxScanMemory, scanLinux } from './linux-scan.js';
import { scanLsof } from './lsof-scan.js';

/** How often a group is scanned while its run starts (and for FAST_WINDOW_MS after its spawn). */
export const FAST_INTERVAL_MS = 100;
/** How often a group is scanned once its run is ready and older than FAST_WINDOW_MS. */
export const SLOW_INTERVAL_MS = 2000;
/** A run is scanned fast for at least this long after its spawn, whatever its readiness. */
export const FAST_WINDOW_MS = 5000;

/** One process group being watched; see PortScanner.watch. */
export interface GroupWatch {
  /** The run is ready: after FAST_WINDOW_MS from the spawn, scan slowly. */
  settle(): void;
  /** Stops watching (the run ended). */
  stop(): void;
}

interface Watch {
  group: number;
  since: number;
  settled: boolean;
  due: number;
  listener: (sockets: readonly ListenSocket[]) => void;
}

/** Whether this platform can discover ports, and if not, what is missing. */
export function discoveryUnsupported(): string | undefined {
  if (process.platform === 'linux' || process.platform === 'darwin') return undefined;
  return (
    `port discovery (ports: 'auto') is not available on ${process.platform}: it needs /proc (Linux) or lsof (macOS); ` +
    "report ports through the SDK, or set ports: 'off'"
  );
}

/**
 * One timer for every process group a supervisor watches: at each tick the groups that are
 * due are scanned together (one pass over /proc, or one lsof), so fifty idle children cost one
 * scan every 2 s, not fifty. The timer is unref'd and stops when nothing is watched. Each
 * Supervisor owns one, so that nothing is shared between supervisors of one process.
 */
export class PortScanner {
  readonly #watches = new Set<Watch>();
  #warned = false;
  readonly #memory = newLinuxScanMemory();
  #timer: NodeJS.Timeout | undefined;
  #nextAt = Number.POSITIVE_INFINITY;
  #scanning = false;

  /** True the first time it is asked, so that what the OS cannot do is said once per supervisor. */
  firstWarning(): boolean {
    const first = !this.#warned;
    this.#warned = true;
    return first;
  }

  /** Scans `group` and calls `listener` with its LISTEN sockets after each scan, until stopped. */
  watch(group: number, listener: (sockets: readonly ListenSocket[]) => void): GroupWatch {
    const now = Date.now();
    const watch: Watch = { group, since: now, settled: false, due: now, listener };
    this.#watches.add(watch);
    this.#schedule();
    return {
      settle: () => {
        watch.settled = true;
      },
      stop: () => {
        this.#watches.delete(watch);
        if (this.#watches.size === 0) this.#clear();
      },
    };
  }

  #schedule(): void {
    if (this.#scanning || this.#watches.size === 0) return;
    const next = Math.min(...[...this.#watches].map((watch) => watch.due));
    if (this.#timer !== undefined && next >= this.#nextAt) return;
    this.#clear();
    this.#nextAt = next;
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, next - Date.now()));
    this.#timer.unref();
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextAt = Number.POSITIVE_INFINITY;
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    this.#nextAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const due = [...this.#watches].filter((watch) => watch.due <= now);
    this.#scanning = true;
    let found: Map<number, ListenSocket[]>;
    try {
      const groups = new Set(due.map((watch) => watch.group));
      found = process.platform === 'darwin' ? await scanLsof(groups) : scanLinux(groups, this.#memory);
    } catch {
      found = new Map();
    } finally {
      this.#scanning = false;
    }
    const after = Date.now();
    for (const watch of due) {
      if (!this.#watches.has(watch)) continue;
      const fast = !watch.settled || after - watch.since < FAST_WINDOW_MS;
      // On a grid, so that watches of the same speed are due together and share one scan.
      const interval = fast ? FAST_INTERVAL_MS : SLOW_INTERVAL_MS;
      watch.due = (Math.floor(after / interval) + 1) * interval;
      try {
        watch.listener(found.get(watch.group) ?? []);
      } catch {
        // A listener's failure is its own; the other watches and the timer go on.
      }
    }
    this.#schedule();
  }
}
