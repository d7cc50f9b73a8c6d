import type { PathMtuException } from "../model/path-mtu-exception.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "ip -j route show table all cache";

/**
 * The path-MTU exceptions of both families from `ip -j route show table all cache`: the
 * entries whose `metrics` hold an `mtu`. Recorded here (test/fixtures/kernel/route-cache,
 * iproute2 6.1.0, kernel 6.18): an IPv4 exception prints
 * `{"dst":"10.31.2.5","gateway":"10.31.1.1","dev":"eth0","cache":[],"expires":599,
 * "metrics":[{"mtu":1400}]}`, an IPv6 one the same with `metric` and `pref` and no `cache`;
 * once the cache is flushed and the destination reached again, IPv4 lists the destination
 * with no `expires` and no `metrics` (nothing learnt: left out here). Measured too: a new
 * IPv4 exception is listed only once a route lookup used it (the next packet toward its
 * destination, or `ip route get`); learnt and not used since, it is not listed yet, and the
 * first packet that uses it fails and makes it listed. The expiry is not kept
 * (model/path-mtu-exception.ts). Throws an ObservationError naming the command and the entry
 * when a field has the wrong type.
 */
export function parseIpRouteCache(json: unknown): PathMtuException[] {
  return readEntries(json, COMMAND).flatMap((entry) => {
    const mtu = entry
      .array("metrics")
      .map((metric) => metric.optionalNumber("mtu"))
      .find((value) => value !== undefined);
    if (mtu === undefined) return [];
    const dev = entry.optionalString("dev");
    const via = entry.optionalString("gateway");
    return [
      {
        dst: entry.string("dst"),
        mtu,
        ...(dev !== undefined && { dev }),
        ...(via !== undefined && { via }),
      },
    ];
  });
}
