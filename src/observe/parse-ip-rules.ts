import { ROUTE_TABLE_NUMBERS, routeIdOf } from "../model/route.js";
import type { RoutingRule } from "../model/routing-rule.js";
import { readEntries, type JsonEntry } from "./json-entries.js";

const COMMAND = "ip -j rule show";
const EVERYWHERE = "0.0.0.0/0";

/** Fields that say what a rule does or where it stands; any other field is a selector. */
const NOT_SELECTORS = new Set([
  "priority",
  "src",
  "srclen",
  "dst",
  "dstlen",
  "table",
  "action",
  "target",
  "protocol",
  // `lookup main suppress_prefixlength 0` (wg-quick) still finds every route longer than the
  // suppressed length, and netplan-k never routes a default route.
  "suppress_prefixlen",
]);

/**
 * IPv4 policy routing rules from `ip -j rule show`, in the order the kernel tries them.
 * iproute2 6.1 prints `from all` as "src":"all", a selector as "src"/"dst" with
 * "srclen"/"dstlen" (absent for a single address), and the table by name when rt_tables
 * names it; a name only the host knows is kept as printed, like a route's table. fwmark,
 * iif, oif, uidrange, ipproto, ports, tos, "not": selective.
 */
export function parseIpRules(json: unknown): RoutingRule[] {
  return readEntries(json, COMMAND).map((entry) => {
    const table = entry.optionalNameOrNumber("table");
    return {
      priority: entry.optionalNumber("priority") ?? 0,
      from: selector(entry, "src", "srclen"),
      to: selector(entry, "dst", "dstlen"),
      selective: entry.keys().some((key) => !NOT_SELECTORS.has(key)),
      ...(table !== undefined && { table: routeIdOf(table, ROUTE_TABLE_NUMBERS) }),
    };
  });
}

function selector(entry: JsonEntry, key: string, lengthKey: string): string {
  const address = entry.optionalString(key);
  if (address === undefined || address === "all") return EVERYWHERE;
  return `${address}/${entry.optionalNumber(lengthKey) ?? 32}`;
}
