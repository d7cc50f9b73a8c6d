import type { Neighbour } from "../model/neighbour.js";
import { readEntries } from "./json-entries.js";
import { isKernelScopedIpv6 } from "./kernel-ipv6.js";

const COMMAND = "ip -j neigh show nud all";

/**
 * Neighbours of both families from `ip -j neigh show nud all`, but the kernel's own IPv6
 * ones (multicast and link-local: kernel-ipv6.ts). Without `nud all`, ip leaves out entries in
 * state NOARP, which the kernel uses without resolving them). "state" is an array of NUD
 * flags; an entry that failed to resolve has no lladdr.
 */
export function parseIpNeighbours(json: unknown): Neighbour[] {
  return readEntries(json, COMMAND).flatMap((entry) => {
    const dst = entry.string("dst");
    // The kernel's own IPv6 entries: multicast groups (NOARP) and learned link-local peers.
    if (dst.includes(":") && isKernelScopedIpv6(dst)) return [];
    const lladdr = entry.optionalString("lladdr");
    const state = entry.strings("state");
    return [
      {
        dev: entry.string("dev"),
        dst,
        ...(lladdr !== undefined && { lladdr }),
        permanent: state.includes("PERMANENT"),
        ...(state.includes("NOARP") && { noarp: true }),
      },
    ];
  });
}
