/** Exit codes, as Terraform's `-detailed-exitcode` has them. */
export const EXIT_OK = 0;
/** An error: invalid topology, a conflict in the plan, a host that cannot be planned. */
export const EXIT_ERROR = 1;
/** With --detailed-exitcode: the plan has changes. */
export const EXIT_CHANGES = 2;
