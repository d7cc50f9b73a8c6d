import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * Why verification could not run or read its answer, as opposed to a path that was checked
 * and found broken (that is data in the result, not an error). Stable codes:
 * - E_VERIFY_TARGET: a name or address unfit to place in a script (a caller's bug or a
 *   topology that skipped validation);
 * - E_VERIFY_OUTPUT: a host's answer that cannot be read (truncated, foreign, mismatched).
 */
export type VerifyErrorCode = "E_VERIFY_TARGET" | "E_VERIFY_OUTPUT";

export class VerifyError extends NetplanError {
  override readonly name = "VerifyError";
  declare readonly code: VerifyErrorCode;
  constructor(code: VerifyErrorCode, message: string, options?: NetplanErrorOptions) {
    super(code, message, options);
  }
}
