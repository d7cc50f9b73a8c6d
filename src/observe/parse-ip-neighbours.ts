import type { Neighbour } from "../model/neighbour.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "ip -j neigh show nud all";

/**
 * IPv4 neighbours from `ip -j neigh show nud all` (without `nud all`, ip leaves out entries in
 * state NOARP, which the kernel uses without resolving them). "state" is an array of NUD
 * flags; an entry that failed to resolve has no lladdr.
 */
export function parseIpNeighbours(json: unknown): Neighbour[] {
  return readEntries(json, COMMAND).flatMap((entry) => {
    const dst = entry.string("dst");
    if (dst.includes(":")) return [];
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
