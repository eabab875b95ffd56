/**
 * Runs a child's controls (start, stop, restart, signal) one at a time in call order. Each
 * control's promise settles with its own result; a failed control does not block the next.
 */
export class OrderedControls {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(control: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(control);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
