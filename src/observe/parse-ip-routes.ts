import {
  BOOT_PROTOCOL,
  MAIN_TABLE,
  ROUTE_PROTOCOL_NUMBERS,
  ROUTE_TABLE_NUMBERS,
  routeIdOf,
  type Route,
} from "../model/route.js";
import { readEntries, type JsonEntry } from "./json-entries.js";
import { isKernelScopedIpv6 } from "./kernel-ipv6.js";
import { ObservationError } from "./observation-error.js";
import { ROUTE_SCOPES, ROUTE_TYPES } from "../model/route-vocabulary.js";

const COMMAND = "ip -j route show table all";

/**
 * Routes of every table and both families from `ip -j route show table all` (the kernel's
 * own IPv6 routes left out: isKernelIpv6Route), with the defaults `ip -j`
 * leaves out made explicit: no table is main (254), no type unicast, no metric 0, no scope
 * global, and no protocol boot (3): a route added without `proto` has no "protocol" key.
 * `src` is printed as "prefsrc".
 * A table or protocol name that only the host's rt_tables / rt_protos knows is kept as
 * printed: such routes are foreign, and must never make a host unplannable.
 */
export function parseIpRoutes(json: unknown): Route[] {
  // Entries keep their position in the listing, so an error points at the right one.
  return readEntries(json, COMMAND).flatMap((entry, index) =>
    isKernelIpv6Route(entry) ? [] : [parseIpRoute(entry, index)],
  );
}

/**
 * `table all` asks for no family, so IPv6 routes are listed too; each carries "pref"
 * (RTA_PREF, which the kernel sends for IPv6 routes only), which is how "default" and a
 * bare address are read in the right family.
 */
const isIpv6Route = (entry: JsonEntry): boolean =>
  entry.optionalString("pref") !== undefined ||
  entry.string("dst").includes(":") ||
  (entry.optionalString("gateway") ?? "").includes(":");

/**
 * The IPv6 routes the kernel keeps by itself, never netplan-k's nor in the cluster's way:
 * those to link-local and multicast prefixes, and the kernel's IPv6 entries of table local
 * (`local` for each address, `anycast` for each subnet-router address, `multicast ff00::/8`,
 * all `proto kernel`: recorded in test/fixtures/converged/dual-stack-*). Another route of
 * table local is kept and judged: `ip -6 route add blackhole <block6> table local` in a
 * workload takes its packets before main (as its IPv4 twin does).
 */
function isKernelIpv6Route(entry: JsonEntry): boolean {
  if (!isIpv6Route(entry)) return false;
  const dst = entry.string("dst");
  return (
    (dst !== "default" && isKernelScopedIpv6(dst)) ||
    (entry.optionalNameOrNumber("table") === "local" &&
      entry.optionalNameOrNumber("protocol") === "kernel")
  );
}

function parseIpRoute(entry: JsonEntry, index: number): Route {
  const via = entry.optionalString("gateway");
  const dev = entry.optionalString("dev");
  const prefsrc = entry.optionalString("prefsrc");
  const nexthops = entry.array("nexthops").map((hop) => {
    const hopVia = hop.optionalString("gateway");
    const hopDev = hop.optionalString("dev");
    return {
      ...(hopVia !== undefined && { via: hopVia }),
      ...(hopDev !== undefined && { dev: hopDev }),
      ...(hop.strings("flags").includes("onlink") && { onlink: true }),
    };
  });
  return {
    dst: normaliseDst(entry.string("dst"), isIpv6Route(entry)),
    table: routeIdOf(entry.optionalNameOrNumber("table") ?? MAIN_TABLE, ROUTE_TABLE_NUMBERS),
    type: oneOf(entry.optionalString("type") ?? "unicast", ROUTE_TYPES, "type", index),
    metric: entry.optionalNumber("metric") ?? 0,
    ...(via !== undefined && { via }),
    ...(dev !== undefined && { dev }),
    ...(prefsrc !== undefined && { prefsrc }),
    onlink: entry.strings("flags").includes("onlink"),
    scope: oneOf(entry.optionalString("scope") ?? "global", ROUTE_SCOPES, "scope", index),
    protocol: routeIdOf(
      entry.optionalNameOrNumber("protocol") ?? BOOT_PROTOCOL,
      ROUTE_PROTOCOL_NUMBERS,
    ),
    ...(nexthops.length > 0 && { nexthops }),
  };
}

/** "default" is 0.0.0.0/0 (::/0); a host route is printed as a bare address. */
function normaliseDst(dst: string, ipv6: boolean): string {
  if (dst === "default") return ipv6 ? "::/0" : "0.0.0.0/0";
  return dst.includes("/") ? dst : `${dst}/${ipv6 ? 128 : 32}`;
}

function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  key: string,
  index: number,
): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found !== undefined) return found;
  throw new ObservationError(
    `${COMMAND}: entry ${index}: "${key}" is ${JSON.stringify(value)}, expected one of ${allowed.join(", ")}`,
  );
}
