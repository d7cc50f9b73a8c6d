import {
  DEFAULT_TABLE,
  LOCAL_TABLE,
  MAIN_TABLE,
  type RouteTableId,
  type RoutingRule,
} from "../model/index.js";
import { everywhereOf, familyOf } from "./ip-prefix.js";
const TABLE_NAMES: Readonly<Record<number, string>> = {
  [DEFAULT_TABLE]: "default",
  [MAIN_TABLE]: "main",
  [LOCAL_TABLE]: "local",
};

/** A table as `ip rule` names it: "main", "local", "default", else its number or name. */
export const describeTable = (table: RouteTableId): string =>
  typeof table === "number" ? (TABLE_NAMES[table] ?? String(table)) : table;

/** The command that lists or changes a rule of the family of `prefix`: `ip rule`, `ip -6 rule`. */
export const ipRuleCommand = (prefix: string): string =>
  familyOf(prefix) === "ipv6" ? "ip -6 rule" : "ip rule";

/**
 * A policy routing rule as `ip rule` prints it, for messages: "rule 100: to 10.244.1.0/24
 * prohibit". Selectors netplan-k does not keep (fwmark, iif, ...) show as "(selective)".
 */
export function describeRule(rule: RoutingRule): string {
  const EVERYWHERE = everywhereOf(familyOf(rule.from));
  const parts = [
    rule.from !== EVERYWHERE && `from ${rule.from}`,
    rule.to !== EVERYWHERE && `to ${rule.to}`,
    rule.selective && "(selective)",
    rule.action === "goto"
      ? `goto ${rule.goto ?? "?"}`
      : (rule.action ??
        (rule.table !== undefined
          ? `lookup ${describeTable(rule.table)}`
          : "lookup (no table named)")),
    rule.suppressPrefixLength !== undefined && `suppress_prefixlength ${rule.suppressPrefixLength}`,
  ];
  const text = parts.filter((part): part is string => typeof part === "string").join(" ");
  return `rule ${rule.priority}: ${rule.from === EVERYWHERE && rule.to === EVERYWHERE && !rule.selective ? "from all " : ""}${text}`;
}
