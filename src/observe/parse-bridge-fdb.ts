import type { FdbEntry } from "../model/fdb-entry.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "bridge -j fdb show";

/**
 * Remote VTEP entries from `bridge -j fdb show`: only entries with a "dst" (an underlay
 * address). Bridge-learned MACs and the multicast entries every device carries have none and
 * are not netplan-k's concern. A destination's own port or VNI (an override of the device's)
 * is kept: it sends the MAC's frames where no peer listens.
 */
export function parseBridgeFdb(json: unknown): FdbEntry[] {
  return readEntries(json, COMMAND).flatMap((entry) => {
    const dst = entry.optionalString("dst");
    if (dst === undefined) return [];
    const port = entry.optionalNumber("port");
    const vni = entry.optionalNumber("vni");
    return [
      {
        dev: entry.string("ifname"),
        mac: entry.string("mac"),
        dst,
        ...(port !== undefined && { port }),
        ...(vni !== undefined && { vni }),
      },
    ];
  });
}
