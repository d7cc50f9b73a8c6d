/**
 * An error the CLI reports as one message and exit 1, never as a stack trace: what went wrong,
 * and what to do about it. `cause` keeps the underlying error for --debug. `code` is stable,
 * for machines (`-o json`, docs/plan-json.md): "plan.stale" for a saved plan that no longer
 * matches, "cli.input" for a file that cannot be read, "cli.usage" (the default) otherwise.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: string;
  constructor(
    message: string,
    readonly remedy?: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options);
    this.code = options?.code ?? "cli.usage";
  }
}
