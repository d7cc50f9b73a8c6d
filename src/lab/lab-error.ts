/**
 * A lab that cannot be built, inspected or removed: a failed command, a namespace in the way, a
 * topology the lab cannot lay out. The message says what failed and what to do; `cause` keeps
 * the underlying error.
 */
export class LabError extends Error {
  override readonly name = "LabError";
  readonly code = "E_LAB";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
