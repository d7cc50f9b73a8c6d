import type { NetState } from "../model/host-state.js";
import { parseBridgeFdb } from "./parse-bridge-fdb.js";
import { parseBridgePinnedFdb } from "./parse-bridge-pinned-fdb.js";
import { parseIpAddresses } from "./parse-ip-addresses.js";
import { parseIpLinks } from "./parse-ip-links.js";
import { parseIpNeighbours } from "./parse-ip-neighbours.js";
import { parseIpRoutes } from "./parse-ip-routes.js";

/** The decoded JSON of the five listings of one network namespace. */
export interface NetListings {
  /** `ip -j -d link show` */
  readonly link: unknown;
  /** `ip -j addr show` */
  readonly addr: unknown;
  /** `ip -j route show table all` */
  readonly route: unknown;
  /** `ip -j neigh show nud all` */
  readonly neigh: unknown;
  /** `bridge -j fdb show` */
  readonly fdb: unknown;
}

/**
 * One namespace's state from its listings. bridgeFdb is there only when some bridge entry is
 * pinned by hand. Throws an ObservationError naming the listing that is malformed.
 */
export function parseNetState(listings: NetListings): NetState {
  const links = parseIpLinks(listings.link);
  const localMacs = new Set(links.flatMap((link) => link.mac?.toLowerCase() ?? []));
  const bridgeFdb = parseBridgePinnedFdb(listings.fdb, localMacs);
  return {
    links,
    addresses: parseIpAddresses(listings.addr),
    routes: parseIpRoutes(listings.route),
    neighbours: parseIpNeighbours(listings.neigh),
    fdb: parseBridgeFdb(listings.fdb),
    ...(bridgeFdb.length > 0 && { bridgeFdb }),
  };
}
