import type { Neighbour } from "../model/neighbour.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "ip -j neigh show";

/**
 * IPv4 neighbours from `ip -j neigh show`. "state" is an array of NUD flags; an entry that
 * failed to resolve has no lladdr.
 */
export function parseIpNeighbours(json: unknown): Neighbour[] {
  return readEntries(json, COMMAND).flatMap((entry) => {
    const dst = entry.string("dst");
    if (dst.includes(":")) return [];
    const lladdr = entry.optionalString("lladdr");
    return [
      {
        dev: entry.string("dev"),
        dst,
        ...(lladdr !== undefined && { lladdr }),
        permanent: entry.strings("state").includes("PERMANENT"),
      },
    ];
  });
}
