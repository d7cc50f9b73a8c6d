/**
 * The one error type of netplan-k: every failure the tool reports, thrown or kept as a value
 * (a host's failure in an apply), is a NetplanError or one of its subclasses, each with:
 * - `code`: stable, for machines and for decisions (`-o json` errors, exit codes, retries);
 *   the message may change, the code not. One style: "<area>.<kind-in-kebab>", like
 *   "plan.stale"; every code is in src/cli/exit-codes.ts's ERROR_CODES (docs/errors.md);
 * - `message`: for people: where (file:line:column or the host), what is wrong;
 * - `remedy`: what to do, when there is something to do;
 * - `cause`: the underlying error, shown with --debug.
 * Nothing decides on a message: branch on `code`.
 */
export class NetplanError extends Error {
  override readonly name: string = "NetplanError";
  readonly remedy: string | undefined;
  /** The host the error is about, when its message already starts with "<host>: ". */
  readonly host: string | undefined;

  constructor(
    readonly code: string,
    message: string,
    options: NetplanErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.remedy = options.remedy;
    this.host = options.host;
  }
}

export interface NetplanErrorOptions {
  /** What to do about it, shown as "hint:" under the message. */
  readonly remedy?: string;
  /** The error this one explains (a process's failure, a parse error). */
  readonly cause?: unknown;
  /** The host it is about, when the message starts with "<host>: " (see hostFailureOf). */
  readonly host?: string;
}

/**
 * The chain of causes under an error, outermost first, the error itself excluded: what
 * --debug shows. Stops at a cycle.
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>([error]);
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && !seen.has(cause)) {
    chain.push(cause);
    seen.add(cause);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return chain;
}
