import { NetplanError } from "../model/netplan-error.js";

/**
 * The codes of the CLI's own refusals (docs/plan-json.md): "plan.stale" for a saved plan that
 * no longer matches, "cli.input" for a file that cannot be read, "cli.usage" otherwise.
 */
export type CliErrorCode = "cli.usage" | "cli.input" | "plan.stale";

/**
 * An error the CLI reports as one message and exit 1, never as a stack trace: what went wrong,
 * and what to do about it (`remedy`). `cause` keeps the underlying error for --debug.
 */
export class CliError extends NetplanError {
  override readonly name = "CliError";
  declare readonly code: CliErrorCode;
  constructor(
    message: string,
    remedy?: string,
    options?: { readonly cause?: unknown; readonly code?: CliErrorCode },
  ) {
    super(options?.code ?? "cli.usage", message, {
      ...(remedy !== undefined && { remedy }),
      cause: options?.cause,
    });
  }
}
