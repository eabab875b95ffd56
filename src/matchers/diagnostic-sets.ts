import type { Diagnostic } from '../protocol/index.js';

/** Sends one file's whole set on (`[]` clears it); false when it was refused (over a cap). */
export type Publish = (file: string, diagnostics: Diagnostic[]) => boolean;

/** What makes two problems of one file the same one: range, severity, code and message. */
export function problemKey(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  const where = `${start.line}:${start.character}:${end.line}:${end.character}`;
  return `${where}:${diagnostic.severity}:${diagnostic.code}:${diagnostic.message}`;
}

/** What an owner holds after a cycle ended. */
export interface CycleCounts {
  errors: number;
  warnings: number;
  files: number;
}

interface Owner {
  /** Problems found since the owner's last cycle began or ended, by file, without duplicates. */
  found: Map<string, Map<string, Diagnostic>>;
  /** What was last published, by file. */
  published: Map<string, Diagnostic[]>;
  /** Files to clear at the cycle's end unless found again during it. */
  toClean: Set<string>;
}

/**
 * The diagnostics matchers found, by owner and file, as VS Code's problem collectors keep
 * them: a file's set is what was found for it since its owner's last cycle boundary (all run
 * long for an owner without cycles); a cycle's end clears every file it did not report again.
 * Changes are published per file on `flush`, merged over owners; an identical problem found
 * twice is kept once.
 */
export class DiagnosticSets {
  readonly #owners = new Map<string, Owner>();
  readonly #dirty = new Set<string>();
  readonly #publish: Publish;
  #generation = 0;

  constructor(publish: Publish) {
    this.#publish = publish;
  }

  /** True while something found is not published yet. */
  get pending(): boolean {
    return this.#dirty.size > 0;
  }

  /**
   * A number that changes whenever a problem added before might be missing now (a cycle
   * began or ended, a set was refused): while it stays the same, adding the same problem for
   * the same owner and file again changes nothing, so a caller may skip it.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Adds a problem found for `file`; `key` is its problemKey when the caller has it already. */
  add(owner: string, file: string, diagnostic: Diagnostic, key: string = problemKey(diagnostic)): void {
    const state = this.#owner(owner);
    state.toClean.delete(file);
    let set = state.found.get(file);
    if (set === undefined) {
      set = new Map();
      state.found.set(file, set);
      // A file's first problem in a cycle replaces what it had before, as VS Code's changeOne.
      this.#dirty.add(file);
    }
    if (set.has(key)) return;
    set.set(key, diagnostic);
    this.#dirty.add(file);
  }

  /** Publishes every file whose set changed since the last flush. */
  flush(): void {
    for (const file of this.#dirty) {
      for (const state of this.#owners.values()) {
        const set = state.found.get(file);
        if (set !== undefined) state.published.set(file, [...set.values()]);
      }
      this.#send(file);
    }
    this.#dirty.clear();
  }

  /** A cycle of `owner` begins: what it reports from now on replaces what it had; `onlyFile` narrows that. */
  beginCycle(owner: string, onlyFile?: string): void {
    this.flush();
    this.#generation++;
    const state = this.#owner(owner);
    state.found.clear();
    state.toClean = new Set(onlyFile === undefined ? state.published.keys() : [onlyFile]);
  }

  /** A cycle of `owner` ends: files it did not report again are cleared. Returns what it holds now. */
  endCycle(owner: string): CycleCounts {
    this.flush();
    this.#generation++;
    const state = this.#owner(owner);
    for (const file of state.toClean) {
      if (state.published.delete(file)) this.#send(file);
    }
    state.toClean.clear();
    state.found.clear();
    const counts = { errors: 0, warnings: 0, files: state.published.size };
    for (const list of state.published.values()) {
      for (const diagnostic of list) {
        if (diagnostic.severity === 1) counts.errors++;
        else if (diagnostic.severity === 2) counts.warnings++;
      }
    }
    return counts;
  }

  #send(file: string): void {
    const lists: Diagnostic[][] = [];
    for (const state of this.#owners.values()) {
      const list = state.published.get(file);
      if (list !== undefined && list.length > 0) lists.push(list);
    }
    // Most files have one owner: its list is sent as it is (nothing here changes a list once
    // published), not copied, since a growing file is sent whole at every flush.
    const merged = lists.length === 1 ? (lists[0] as Diagnostic[]) : lists.flat();
    if (this.#publish(file, merged)) return;
    // Refused (over the child's caps): the file is cleared instead, so that what is held here
    // and what the child's reports hold stay the same.
    this.#generation++;
    for (const state of this.#owners.values()) {
      state.published.delete(file);
      state.found.delete(file);
    }
    this.#publish(file, []);
  }

  #owner(owner: string): Owner {
    let state = this.#owners.get(owner);
    if (state === undefined) {
      state = { found: new Map(), published: new Map(), toClean: new Set() };
      this.#owners.set(owner, state);
    }
    return state;
  }
}
