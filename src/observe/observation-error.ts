import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * Output of a host that netplan-k cannot read: malformed `ip -j` JSON, a failed listing, a
 * truncated observation, a broken snapshot file. The message names the host or file, the
 * command or section, and what was wrong; `cause` keeps the underlying error.
 */
export class ObservationError extends NetplanError {
  override readonly name = "ObservationError";
  declare readonly code: "observe.unreadable";
  constructor(message: string, options?: NetplanErrorOptions) {
    super("observe.unreadable", message, options);
  }
}
