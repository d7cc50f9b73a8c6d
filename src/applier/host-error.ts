import { NetplanError } from "../model/netplan-error.js";

/**
 * Codes of a host's failure during apply that the applier itself finds (other failures keep
 * the code of the error under them: a TransportError's "transport.unreachable", ...):
 * - apply.step-failed: a step of the host's script failed, or the script stopped early;
 * - apply.bgp-timeout: BGP did not converge in time, the old routes were kept;
 * - apply.drift: the host still differs from the desired state after apply;
 * - plan.refused: the host's plan has errors or conflicts, so it was not touched;
 * - apply.rollback-incomplete: after a failure, the rollback could not prove the host holds
 *   what it held before the apply (rollback-host.ts);
 * - apply.revert-armed, apply.revert-failed, apply.revert-fired: a confirm-timeout revert
 *   armed by another run, a revert that could not be armed or disarmed, or one that fired
 *   before the confirmation (confirm-revert.ts, confirm-timeout.ts).
 */
export type HostFailureCode =
  | "apply.step-failed"
  | "apply.bgp-timeout"
  | "apply.drift"
  | "plan.refused"
  | "apply.rollback-incomplete"
  | "apply.revert-armed"
  | "apply.revert-failed"
  | "apply.revert-fired";

/** A failure of `host`; `message` starts with the host's name. */
export const hostFailure = (host: string, code: HostFailureCode, message: string): NetplanError =>
  new NetplanError(code, message, { host });

/**
 * A host's failure as a value whose message starts with the host's name: an error that is
 * already about this host as it is, any other wrapped (its code kept, "internal.bug" for a bug).
 */
export function hostFailureOf(host: string, error: unknown): NetplanError {
  if (error instanceof NetplanError && error.host === host) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new NetplanError(
    error instanceof NetplanError ? error.code : "internal.bug",
    `${host}: ${message}`,
    {
      host,
      cause: error,
      ...(error instanceof NetplanError && error.remedy !== undefined && { remedy: error.remedy }),
    },
  );
}
