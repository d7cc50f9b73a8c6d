/**
 * The IPv6 objects every interface gets from the kernel by itself, which the observation
 * leaves out (docs/kernel-layout.md, "What the kernel makes by itself"): link-local addresses
 * (fe80::/10, the EUI-64 address of every up interface), multicast groups (ff00::/8, listed as
 * NOARP neighbours and as `multicast` routes of table local) and the routes to them. None is
 * ever netplan-k's, and none takes cluster traffic.
 */

/** Whether an IPv6 address (without prefix, or a prefix) lies in fe80::/10 or ff00::/8. */
export function isKernelScopedIpv6(address: string): boolean {
  const first = Number.parseInt(address.split(":")[0] || "0", 16);
  // fe80::/10 is fe80-febf in the first group; ff00::/8 is ff00-ffff.
  return (first >= 0xfe80 && first <= 0xfebf) || first >= 0xff00;
}

/**
 * Whether an IPv6 address lies in fe80::/10. The kernel learns such neighbours (REACHABLE,
 * STALE, ...) but never pins one: a PERMANENT link-local entry was written by hand (`ip -6
 * neigh replace fe80::… lladdr … nud permanent`), and the kernel then never resolves it again.
 */
export function isLinkLocalIpv6(address: string): boolean {
  const first = Number.parseInt(address.split(":")[0] || "0", 16);
  return first >= 0xfe80 && first <= 0xfebf;
}
