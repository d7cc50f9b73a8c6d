import type { BridgeFdbEntry } from "../model/bridge-fdb-entry.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "bridge -j fdb show";

/**
 * The entries of bridges' own tables pinned by hand, from `bridge -j fdb show` (the same
 * listing as parseBridgeFdb): lines with a "master" and state "static" or "permanent". The
 * kernel's own permanent entries (one for each port's MAC and the bridge's) are left out:
 * `localMacs` are the MACs of the namespace's links. Throws an ObservationError naming the
 * command when an entry is malformed.
 */
export function parseBridgePinnedFdb(
  json: unknown,
  localMacs: ReadonlySet<string>,
): BridgeFdbEntry[] {
  return readEntries(json, COMMAND).flatMap((entry): BridgeFdbEntry[] => {
    const bridge = entry.optionalString("master");
    const state = entry.optionalString("state");
    if (bridge === undefined || (state !== "static" && state !== "permanent")) return [];
    const mac = entry.string("mac").toLowerCase();
    if (state === "permanent" && localMacs.has(mac)) return [];
    const sticky = entry.strings("flags").includes("sticky");
    return [{ port: entry.string("ifname"), bridge, mac, state, ...(sticky && { sticky }) }];
  });
}
