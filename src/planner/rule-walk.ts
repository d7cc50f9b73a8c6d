import {
  DEFAULT_TABLE,
  LOCAL_TABLE,
  MAIN_TABLE,
  type Route,
  type RouteTableId,
  type RoutingRule,
} from "../model/index.js";
import {
  everywhereOf,
  familyOf,
  isPrefixWithin,
  parseIpPrefix,
  type IpFamily,
  type IpPrefix,
} from "./ip-prefix.js";

/**
 * Where the kernel sends the cluster's packets for one destination range, walking the policy
 * rules the way fib_rules_lookup does (net/core/fib_rules.c, fib4_rule_action and
 * fib4_rule_suppress in net/ipv4/fib_rules.c): rules in order; a rule that matches either
 * looks up its table (the longest prefix there wins, then the lowest metric; a result of
 * `suppress_prefixlength N` or shorter is rejected and the walk goes on), jumps forward
 * (`goto`, modelled as the kernel does it: the rules in between are skipped; a goto whose
 * target priority no rule has is passed over, like the kernel's unresolved goto), does
 * nothing (`nop`), or ends the walk dropping the packet (blackhole, unreachable, prohibit).
 *
 * The walk knows only the candidate routes it is given (a claim of netplan-k's and at most one
 * foreign route that may take its packets), and only which rules *may* match: it reports every
 * end some packet of the range can reach.
 *
 * Which packets are the cluster's (one decision for every kind of selector): packets to the
 * range, from a source inside the cluster CIDR (a block or a workload address). A rule
 * matches all of them when it is not selective, its source selector holds the whole cluster
 * CIDR (`from all` does) and its destination selector holds the whole range. It matches some
 * of them when it is selective (fwmark, iif, uid range, ...; and any rule with `not`), when
 * its source is part of the cluster CIDR, or when its destination is part of the range: such
 * a rule carries the cluster's traffic too, for the packets it matches, and the rest goes on.
 * A source selector outside the cluster CIDR (the host's underlay address) never matches:
 * those are the host's own packets, not the cluster's.
 *
 * Both families walk the same way (fib6_rule_action and fib6_rule_suppress in
 * net/ipv6/fib6_rules.c mirror the IPv4 ones); each family has its own rules (`ip rule` and
 * `ip -6 rule`), so a walk takes only the rules of its range's family.
 */

/** A route the walk may find in a table. */
export interface WalkCandidate<T> {
  readonly prefix: IpPrefix;
  readonly table: RouteTableId;
  readonly metric: number;
  readonly id: T;
}

/**
 * The routes of `routes` the walk may find for `range` (those whose prefix holds it), each
 * identified by its index in `routes`. Takes routes with a `dst` in CIDR form; those of the
 * other family hold nothing of the range.
 */
export function routesHolding(
  routes: readonly Pick<Route, "dst" | "table" | "metric">[],
  range: IpPrefix,
): WalkCandidate<number>[] {
  const holding: WalkCandidate<number>[] = [];
  routes.forEach((route, id) => {
    const prefix = parseIpPrefix(route.dst);
    if (isPrefixWithin(range, prefix)) {
      holding.push({ prefix, table: route.table, metric: route.metric, id });
    }
  });
  return holding;
}

/** Where some packets of the range end up. */
export type WalkEnd<T> =
  /** A route picked them, in the lookup of `rule`. */
  | { readonly kind: "route"; readonly id: T; readonly rule: RoutingRule }
  /** A blackhole, unreachable or prohibit rule dropped them. */
  | { readonly kind: "dropped"; readonly rule: RoutingRule }
  /** No rule after `rule`'s goto found them a route: the jump passed over the one that would. */
  | { readonly kind: "jumped"; readonly rule: RoutingRule }
  /**
   * No rule found them a route and none jumped: they fell off the end of the rules (the
   * kernel answers ENETUNREACH), e.g. when main's rule 32766 is deleted or narrowed to
   * `iif lo`.
   */
  | { readonly kind: "unrouted" };

/** How much of the cluster's traffic to a range a rule matches. */
export type RuleMatch = "none" | "some" | "all";

/** The IPv4 rules every kernel starts with (`ip rule` on a fresh namespace). */
export const DEFAULT_RULES: readonly RoutingRule[] = [
  { priority: 0, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: LOCAL_TABLE },
  { priority: 32766, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: MAIN_TABLE },
  { priority: 32767, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: DEFAULT_TABLE },
];

/**
 * The IPv6 rules every kernel starts with (`ip -6 rule` on a fresh namespace, measured on
 * kernel 6.18: local and main only, no rule for table default).
 */
export const DEFAULT_RULES_V6: readonly RoutingRule[] = [
  { priority: 0, from: "::/0", to: "::/0", selective: false, table: LOCAL_TABLE },
  { priority: 32766, from: "::/0", to: "::/0", selective: false, table: MAIN_TABLE },
];

/**
 * The rules of one family out of an observation's rules (which hold both, since netplan-k
 * reads `ip -6 rule` too). A list without a single rule of the family is an observation made
 * before netplan-k read that family's rules, so the family has the kernel's defaults: a real
 * host always has some (rule 0 looks up local).
 */
export function rulesOfFamily(rules: readonly RoutingRule[], family: IpFamily): RoutingRule[] {
  const own = rules.filter((rule) => familyOf(rule.from) === family);
  if (own.length > 0) return own;
  return [...(family === "ipv4" ? DEFAULT_RULES : DEFAULT_RULES_V6)];
}

/** `inner` lies inside `outer` (or is it). */
const isWithin = isPrefixWithin;

/** Rules with their selectors parsed once, for many walks over one host's rules. */
export interface RuleTable {
  readonly rules: readonly RoutingRule[];
  /** Per rule: its `to`, and how much of the cluster's sources its `from` holds. */
  readonly selectors: readonly { readonly to: IpPrefix; readonly from: RuleMatch }[];
  /** The prefix of `from all` in the walk's family. */
  readonly everywhere: string;
}

/**
 * The rules of a host ready to walk for a cluster CIDR: those of the CIDR's family
 * (rulesOfFamily), each with its selectors parsed.
 */
export function prepareRules(all: readonly RoutingRule[], clusterCidr: string): RuleTable {
  const family = familyOf(clusterCidr);
  const rules = rulesOfFamily(all, family);
  const cluster = parseIpPrefix(clusterCidr);
  const selectors = rules.map((rule) => {
    const from = parseIpPrefix(rule.from);
    const fromMatch: RuleMatch = isWithin(cluster, from)
      ? "all"
      : isWithin(from, cluster)
        ? "some"
        : "none";
    return { to: parseIpPrefix(rule.to), from: fromMatch };
  });
  return { rules, selectors, everywhere: everywhereOf(family) };
}

/** How much of the cluster's traffic to `range` the rule at `index` matches (see the notes). */
function ruleMatch(table: RuleTable, index: number, range: IpPrefix): RuleMatch {
  const rule = table.rules[index];
  const selector = table.selectors[index];
  if (rule === undefined || selector === undefined || selector.from === "none") return "none";
  const toAll = isWithin(range, selector.to);
  if (!toAll && !isWithin(selector.to, range)) return "none";
  return selector.from === "all" && toAll && !rule.selective ? "all" : "some";
}

/** The route a lookup of `table` finds for the range, or undefined (nothing, or suppressed). */
function lookUp<T>(
  rule: RoutingRule,
  table: RouteTableId,
  candidates: readonly WalkCandidate<T>[],
): WalkCandidate<T> | undefined {
  const suppressed = rule.suppressPrefixLength ?? -1;
  let best: WalkCandidate<T> | undefined;
  for (const candidate of candidates) {
    if (candidate.table !== table || candidate.prefix.subnetMask <= suppressed) continue;
    const better =
      best === undefined ||
      candidate.prefix.subnetMask > best.prefix.subnetMask ||
      (candidate.prefix.subnetMask === best.prefix.subnetMask && candidate.metric < best.metric);
    if (better) best = candidate;
  }
  return best;
}

/**
 * Every end some cluster packet to `range` can reach, walking the rules with only `candidates`
 * in the tables. Each candidate must hold the whole range. On a tie (same prefix and metric)
 * the candidate listed first wins: list the foreign one first to judge it strictly.
 */
export function walkRules<T>(
  table: RuleTable,
  range: IpPrefix,
  candidates: readonly WalkCandidate<T>[],
): WalkEnd<T>[] {
  const { rules } = table;
  const matches = rules.map((_, index) => ruleMatch(table, index, range));
  const targetOf = (rule: RoutingRule): number =>
    rules.findIndex((other) => other.priority === rule.goto);
  // The ends reachable from a rule depend only on where the walk is and on the first goto it
  // took (for "jumped"), so each pair is walked once.
  const memo = new Map<string, WalkEnd<T>[]>();

  const walkFrom = (start: number, jump: RoutingRule | undefined): WalkEnd<T>[] => {
    const memoKey = `${start}/${jump === undefined ? "" : rules.indexOf(jump)}`;
    const known = memo.get(memoKey);
    if (known !== undefined) return known;
    const ends: WalkEnd<T>[] = [];
    let index = start;
    let done = false;
    for (; index < rules.length && !done; index++) {
      const rule = rules[index];
      const match = matches[index];
      if (rule === undefined || match === undefined || match === "none") continue;
      if (rule.action === "goto") {
        const target = targetOf(rule);
        // Unresolved (no such priority) or not forward: the kernel passes over it.
        if (target <= index) continue;
        ends.push(...walkFrom(target, jump ?? rule));
        done = match === "all";
      } else if (rule.action === "nop") {
        continue;
      } else if (rule.action !== undefined) {
        ends.push({ kind: "dropped", rule });
        done = match === "all";
      } else if (rule.table !== undefined) {
        const found = lookUp(rule, rule.table, candidates);
        if (found === undefined) continue;
        ends.push({ kind: "route", id: found.id, rule });
        done = match === "all";
      }
    }
    if (!done)
      ends.push(jump === undefined ? { kind: "unrouted" } : { kind: "jumped", rule: jump });
    memo.set(memoKey, ends);
    return ends;
  };
  return walkFrom(0, undefined);
}
