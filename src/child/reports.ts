import type { Diagnostic, PortInfo } from '../protocol/index.js';
import { overLimit, type ResolvedLimits } from './child-limits.js';
import { DiagnosticStore } from './diagnostic-store.js';

/** Where a child's reports are announced (the Child's events). */
export interface ReportListeners {
  port(port: PortInfo): void;
  portRemoved(port: PortInfo): void;
  diagnostics(file: string, diagnostics: readonly Diagnostic[]): void;
}

/**
 * What one child has reported about itself: its ports by name and its diagnostics by file,
 * within its caps, with an event for every change. Whoever learns a fact feeds it here: the
 * child's connection (the SDK), and the parent's own readers of a child that has no SDK.
 * Knows nothing of processes, so it is tested on its own (test/child/reports.test.ts).
 */
export class Reports {
  readonly #limits: ResolvedLimits;
  readonly #listeners: ReportListeners;
  readonly #ports = new Map<string, PortInfo>();
  readonly #diagnostics: DiagnosticStore;

  constructor(limits: ResolvedLimits, listeners: ReportListeners) {
    this.#limits = limits;
    this.#listeners = listeners;
    this.#diagnostics = new DiagnosticStore(limits);
  }

  /** Ports by name. */
  get ports(): ReadonlyMap<string, PortInfo> {
    return this.#ports;
  }

  /** Diagnostics by file. */
  get diagnostics(): ReadonlyMap<string, readonly Diagnostic[]> {
    return this.#diagnostics.files;
  }

  /**
   * Adds or replaces a port (by name) and announces it. Throws a PROTOCOL_ERROR naming the
   * cap when a new name would go over `limits.ports`; nothing changes then.
   */
  setPort(port: PortInfo): void {
    const max = this.#limits.ports;
    if (this.#ports.size >= max && !this.#ports.has(port.name)) {
      throw overLimit(
        `procwire/port ${JSON.stringify(port.name.slice(0, 200))} would be port number ${max + 1}`,
        'ports',
        max,
        'report fewer distinct port names',
      );
    }
    this.#ports.set(port.name, port);
    this.#listeners.port(port);
  }

  /** Removes one port, announcing it; nothing happens for a name that is not there. */
  removePort(name: string): void {
    const port = this.#ports.get(name);
    if (port === undefined) return;
    this.#ports.delete(name);
    this.#listeners.portRemoved(port);
  }

  /** Removes every port (their process ended), announcing each. */
  removeAllPorts(): void {
    for (const name of [...this.#ports.keys()]) this.removePort(name);
  }

  /**
   * Replaces one file's diagnostics (`[]` clears the file) and announces it. Throws a
   * PROTOCOL_ERROR naming the cap a set would break; the set is refused whole then.
   */
  setDiagnostics(file: string, diagnostics: readonly Diagnostic[]): void {
    this.#diagnostics.replace(file, diagnostics);
    this.#listeners.diagnostics(file, diagnostics);
  }

  /** Clears every file (a new run starts), announcing each as `[]`. */
  clearDiagnostics(): void {
    for (const file of this.#diagnostics.clear()) this.#listeners.diagnostics(file, []);
  }
}
