/** An error answer of the control API, or no answer at all (`status` 0). */
export class ControlRequestError extends Error {
  override readonly name = 'ControlRequestError';
  /** The HTTP status; 0 when the socket could not be reached or the answer was cut. */
  readonly status: number;
  /** The API's error code (`UNKNOWN_CHILD`, a ProcwireError code), or the socket error's (`ENOENT`). */
  readonly code: string;
  /** A failed start's last stderr lines, which the message quotes (see ErrorBody). */
  readonly stderrTail: readonly string[] | undefined;

  constructor(status: number, code: string, message: string, stderrTail?: readonly string[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.stderrTail = stderrTail;
  }
}
