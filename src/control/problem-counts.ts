import type { Diagnostic } from '../protocol/index.js';

/**
 * A child's error and warning counts, kept up to date one file at a time, so that an event
 * for one file of a compiler's thousand does not recount the other 999.
 */
export class ProblemCounts {
  readonly #files = new Map<string, { errors: number; warnings: number }>();
  errors = 0;
  warnings = 0;

  /** Counts taken from a child's current diagnostics, by file. */
  static of(files: ReadonlyMap<string, readonly Diagnostic[]>): ProblemCounts {
    const counts = new ProblemCounts();
    for (const [file, list] of files) counts.set(file, list);
    return counts;
  }

  /** One file's diagnostics were replaced (`[]` clears it). */
  set(file: string, list: readonly Diagnostic[]): void {
    const old = this.#files.get(file);
    if (old) {
      this.errors -= old.errors;
      this.warnings -= old.warnings;
      this.#files.delete(file);
    }
    let errors = 0;
    let warnings = 0;
    for (const d of list) {
      if ((d.severity ?? 1) === 1) errors++;
      else if (d.severity === 2) warnings++;
    }
    if (list.length > 0) this.#files.set(file, { errors, warnings });
    this.errors += errors;
    this.warnings += warnings;
  }
}
