import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * A lab that cannot be built, inspected or removed: a failed command, a namespace in the way, a
 * topology the lab cannot lay out. The message says what failed and what to do; `cause` keeps
 * the underlying error.
 */
export class LabError extends NetplanError {
  override readonly name = "LabError";
  declare readonly code: "lab.failed";
  constructor(message: string, options?: NetplanErrorOptions) {
    super("lab.failed", message, options);
  }
}
