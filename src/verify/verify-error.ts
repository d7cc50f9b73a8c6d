import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * Why verification could not run or read its answer, as opposed to a path that was checked
 * and found broken (that is data in the result, not an error). Stable codes:
 * - verify.unsafe-target: a name or address unfit to place in a script (a caller's bug or a
 *   topology that skipped validation);
 * - verify.unreadable-output: a host's answer that cannot be read (truncated, foreign, mismatched).
 */
export type VerifyErrorCode = "verify.unsafe-target" | "verify.unreadable-output";

export class VerifyError extends NetplanError {
  override readonly name = "VerifyError";
  declare readonly code: VerifyErrorCode;
  constructor(code: VerifyErrorCode, message: string, options?: NetplanErrorOptions) {
    super(code, message, options);
  }
}
