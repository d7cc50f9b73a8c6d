import type { Output } from "./output.js";

/**
 * What `--allow-management-change` costs, said on stderr before anything is contacted: the
 * guard (planner/management-path.ts) no longer refuses a change to a host's SSH session path,
 * and nothing reverts such a change when it cuts the session (issue 11's --confirm-timeout,
 * which would, is not built yet).
 */
export function warnManagementChangeAllowed(output: Output): void {
  output.err(
    "warning: --allow-management-change: changes to the path of a host's SSH session are " +
      "planned, not refused. No automatic revert protects this run (--confirm-timeout does not " +
      "exist yet): a change that cuts the session leaves that host unreachable from here until " +
      "someone repairs it from its console.",
  );
}
