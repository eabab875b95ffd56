import type { Diagnostic } from '../protocol/index.js';
import { overLimit, type ResolvedLimits } from './child-limits.js';

/**
 * One child's diagnostics by file, held within its caps: a set that would bring the child
 * over `limits.diagnosticFiles` or `limits.diagnostics` is refused whole, so what the
 * parent holds is always a set the child reported.
 */
export class DiagnosticStore {
  readonly #files = new Map<string, readonly Diagnostic[]>();
  readonly #limits: ResolvedLimits;
  #count = 0;

  constructor(limits: ResolvedLimits) {
    this.#limits = limits;
  }

  /** The current diagnostics by file. */
  get files(): ReadonlyMap<string, readonly Diagnostic[]> {
    return this.#files;
  }

  /** Replaces `file`'s set (`[]` clears it); throws a PROTOCOL_ERROR naming the cap it would break. */
  replace(file: string, diagnostics: readonly Diagnostic[]): void {
    const previous = this.#files.get(file);
    if (diagnostics.length === 0) {
      if (previous === undefined) return;
      this.#files.delete(file);
      this.#count -= previous.length;
      return;
    }
    const { diagnosticFiles, diagnostics: maxDiagnostics } = this.#limits;
    if (previous === undefined && this.#files.size >= diagnosticFiles) {
      throw overLimit(
        `procwire/diagnostics for ${describe(file)} would make ${this.#files.size + 1} files with diagnostics`,
        'diagnosticFiles',
        diagnosticFiles,
        'clear the files it no longer reports (publish [] for them)',
      );
    }
    const count = this.#count - (previous?.length ?? 0) + diagnostics.length;
    if (count > maxDiagnostics) {
      throw overLimit(
        `procwire/diagnostics for ${describe(file)} would make ${count} diagnostics`,
        'diagnostics',
        maxDiagnostics,
        'report fewer (clear files it no longer reports)',
      );
    }
    this.#files.set(file, diagnostics);
    this.#count = count;
  }

  /** Empties the store; returns the files that had diagnostics. */
  clear(): string[] {
    const files = [...this.#files.keys()];
    this.#files.clear();
    this.#count = 0;
    return files;
  }
}

/** A child's file name for a message: quoted (so controls are escaped) and cut short. */
function describe(file: string): string {
  return JSON.stringify(file.length > 200 ? `${file.slice(0, 200)}…` : file);
}
