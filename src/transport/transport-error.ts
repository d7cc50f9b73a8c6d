import { NetplanError } from "../model/netplan-error.js";

/**
 * Why a host could not be reached. Stable: callers branch on it (retry "transport.unreachable", never
 * retry "transport.host-key-mismatch") and the CLI maps it to a message; the text may change, codes not.
 */
export type TransportErrorCode =
  | "transport.unreachable"
  | "transport.auth-failed"
  | "transport.host-key-mismatch"
  | "transport.host-key-unknown"
  | "transport.timeout"
  | "transport.output-too-large"
  | "transport.spawn-failed";

/**
 * A failure to run a command on a host at all, as opposed to a command that ran and failed
 * (that is a RunResult with a non-zero exit code). The message starts with the host's name and
 * says what to do; `cause` keeps the underlying execa result or error.
 */
export class TransportError extends NetplanError {
  override readonly name = "TransportError";
  declare readonly code: TransportErrorCode;
  declare readonly host: string;
  constructor(
    code: TransportErrorCode,
    host: string,
    detail: string,
    options?: { readonly cause?: unknown },
  ) {
    super(code, `${host}: ${detail}`, { ...options, host });
  }
}
