/**
 * An error the CLI reports as one message and exit 1, never as a stack trace: what went wrong,
 * and what to do about it. `cause` keeps the underlying error for --debug.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly remedy?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
