import { ROUTE_TABLE_NUMBERS, routeIdOf } from "../model/route.js";
import type { RoutingRule, RoutingRuleAction } from "../model/routing-rule.js";
import { readEntries, type JsonEntry } from "./json-entries.js";
import { ObservationError } from "./observation-error.js";

/** Which rules a listing holds: `ip -j rule show` (inet) or `ip -6 -j rule show` (inet6). */
export type IpRuleFamily = "inet" | "inet6";

const COMMANDS: Readonly<Record<IpRuleFamily, string>> = {
  inet: "ip -j rule show",
  inet6: "ip -6 -j rule show",
};
const EVERYWHERE: Readonly<Record<IpRuleFamily, string>> = { inet: "0.0.0.0/0", inet6: "::/0" };
const HOST_BITS: Readonly<Record<IpRuleFamily, number>> = { inet: 32, inet6: 128 };

/** Fields that say what a rule does or where it stands; any other field is a selector. */
const NOT_SELECTORS = new Set([
  "priority",
  "src",
  "srclen",
  "dst",
  "dstlen",
  "table",
  "action",
  "goto",
  "unresolved",
  "nop",
  "target",
  "protocol",
  "suppress_prefixlen",
]);

/** The actions iproute2 prints as "action" (rtnl_rtntype_n2a of FR_ACT_*). */
const TERMINAL_ACTIONS: readonly RoutingRuleAction[] = ["blackhole", "unreachable", "prohibit"];

/**
 * Policy routing rules of one family from `ip -j rule show` (IPv4) or `ip -6 -j rule show`
 * (IPv6, the same keys: recorded in test/fixtures/kernel/ipv6-judged), in the order the
 * kernel tries them. `from all` is the family's everywhere ("0.0.0.0/0", "::/0").
 * iproute2 6.1 prints `from all` as "src":"all", a selector as "src"/"dst" with
 * "srclen"/"dstlen" (absent for a single address), and the table by name when rt_tables
 * names it; a name only the host knows is kept as printed, like a route's table. Actions
 * (recorded in test/fixtures/kernel/rule-actions): `goto N` as "goto":N (plus
 * "unresolved":null when no rule has priority N), `nop` as "nop":null, blackhole,
 * unreachable and prohibit as "action"; `suppress_prefixlength N` as "suppress_prefixlen".
 * fwmark, iif, oif, uidrange, ipproto, ports, tos, l3mdev: selective. "not" inverts the whole
 * match, so such a rule is kept as selective from and to everywhere: it may match anything.
 * Throws ObservationError naming the entry for an action netplan-k does not know.
 */
export function parseIpRules(json: unknown, family: IpRuleFamily = "inet"): RoutingRule[] {
  const everywhere = EVERYWHERE[family];
  return readEntries(json, COMMANDS[family]).map((entry, index) => {
    const table = entry.optionalNameOrNumber("table");
    const target = entry.optionalNumber("goto");
    const suppressPrefixLength = entry.optionalNumber("suppress_prefixlen");
    const action = actionOf(entry, index, COMMANDS[family]);
    // `not` inverts the whole match: the rule may match any packet, whatever its selectors.
    const inverted = entry.keys().includes("not");
    return {
      priority: entry.optionalNumber("priority") ?? 0,
      from: inverted ? everywhere : selector(entry, "src", "srclen", family),
      to: inverted ? everywhere : selector(entry, "dst", "dstlen", family),
      selective: entry.keys().some((key) => !NOT_SELECTORS.has(key)),
      ...(table !== undefined && { table: routeIdOf(table, ROUTE_TABLE_NUMBERS) }),
      ...(action !== undefined && { action }),
      ...(target !== undefined && { goto: target }),
      ...(suppressPrefixLength !== undefined && { suppressPrefixLength }),
    };
  });
}

function actionOf(entry: JsonEntry, index: number, command: string): RoutingRuleAction | undefined {
  const keys = entry.keys();
  if (keys.includes("goto")) return "goto";
  if (keys.includes("nop")) return "nop";
  const printed = entry.optionalString("action");
  if (printed === undefined) return undefined;
  const known = TERMINAL_ACTIONS.find((action) => action === printed);
  if (known !== undefined) return known;
  throw new ObservationError(
    `${command}: entry ${index}: "action" is ${JSON.stringify(printed)}, expected one of ${TERMINAL_ACTIONS.join(", ")}`,
  );
}

function selector(entry: JsonEntry, key: string, lengthKey: string, family: IpRuleFamily): string {
  const address = entry.optionalString(key);
  if (address === undefined || address === "all") return EVERYWHERE[family];
  return `${address}/${entry.optionalNumber(lengthKey) ?? HOST_BITS[family]}`;
}
