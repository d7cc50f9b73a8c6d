import type { Output } from "./output.js";

/**
 * What `plan --allow-management-change` means, said on stderr before anything is contacted:
 * the guard (planner/management-path.ts) no longer refuses a change to a host's SSH session
 * path, and applying such a change needs a revert that protects it (apply and destroy take
 * the flag only with --confirm-timeout: main.ts).
 */
export function warnManagementChangeAllowed(output: Output): void {
  output.err(
    "warning: --allow-management-change: changes to the path of a host's SSH session are " +
      "planned, not refused. apply and destroy take the flag only with --confirm-timeout: a " +
      "host the controller can no longer reach after such a change puts itself back when the " +
      "time runs out.",
  );
}
