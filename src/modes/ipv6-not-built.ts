/**
 * The refusal of a dual-stack cluster by a mode that will carry IPv6 but does not yet
 * (issue 9 is built mode by mode): said at cluster.cidr's IPv6 value, so that nothing
 * half-built reaches a kernel.
 */
export const ipv6NotBuilt = (mode: string): { message: string; hint: string } => ({
  message: `mode ${mode} does not carry IPv6 yet: netplan-k has the dual-stack file format, but no mode builds IPv6 routes so far`,
  hint: "remove the IPv6 range from cluster.cidr (and the IPv6 values of hosts and workloads) to run the cluster on IPv4",
});
