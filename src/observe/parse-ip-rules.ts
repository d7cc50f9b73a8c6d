import { ROUTE_TABLE_NUMBERS, routeIdOf } from "../model/route.js";
import type { RoutingRule } from "../model/routing-rule.js";
import { readEntries, type JsonEntry } from "./json-entries.js";

const COMMAND = "ip -j rule show";
const EVERYWHERE = "0.0.0.0/0";

/**
 * IPv4 policy routing rules from `ip -j rule show`, in the order the kernel tries them.
 * iproute2 6.1 prints `from all` as "src":"all", a selector as "src"/"dst" with
 * "srclen"/"dstlen" (absent for a single address), and the table by name when rt_tables
 * names it; a name only the host knows is kept as printed, like a route's table.
 */
export function parseIpRules(json: unknown): RoutingRule[] {
  return readEntries(json, COMMAND).map((entry) => {
    const table = entry.optionalNameOrNumber("table");
    return {
      priority: entry.optionalNumber("priority") ?? 0,
      from: selector(entry, "src", "srclen"),
      to: selector(entry, "dst", "dstlen"),
      ...(table !== undefined && { table: routeIdOf(table, ROUTE_TABLE_NUMBERS) }),
    };
  });
}

function selector(entry: JsonEntry, key: string, lengthKey: string): string {
  const address = entry.optionalString(key);
  if (address === undefined || address === "all") return EVERYWHERE;
  return `${address}/${entry.optionalNumber(lengthKey) ?? 32}`;
}
