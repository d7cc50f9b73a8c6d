import { NetplanError } from "../model/netplan-error.js";

/**
 * Why the applier refuses to turn a change into commands. Stable codes: "apply.unsafe-value" is a
 * string that does not match what the kernel object allows (it would otherwise end up in a
 * script line); "apply.unsupported-change" is a change the applier has no command for.
 */
export type ApplierErrorCode = "apply.unsafe-value" | "apply.unsupported-change";

export class ApplierError extends NetplanError {
  override readonly name = "ApplierError";
  declare readonly code: ApplierErrorCode;
  constructor(code: ApplierErrorCode, message: string) {
    super(code, message);
  }
}
