import type { Host } from "./topology.js";

/**
 * The underlay address a host is reached at (ssh's default host, a lab's sshd): its IPv4 one,
 * or its IPv6 one in an IPv6-only cluster. Throws for a host without either (the loader gives
 * every host its cluster's families).
 */
export function hostAddress(host: Pick<Host, "name" | "v4" | "v6">): string {
  const address = host.v4?.underlayIp ?? host.v6?.underlayIp;
  if (address === undefined) throw new Error(`host ${host.name} has no underlay address`);
  return address;
}
