import type { Address, Route, RoutingRule } from "../model/index.js";
import { MAIN_TABLE, routeKey } from "../model/index.js";
import { isDerivedFromAddress } from "./address-routes.js";
import { describeObject } from "./describe-object.js";
import { describeRule, describeTable } from "./describe-rule.js";
import { makeConflict } from "./make-change.js";
import type { Conflict } from "./plan.js";
import {
  familyOf,
  isPrefixWithin,
  isValidOf,
  parseIpPrefix,
  prefixCidr,
  type IpPrefix,
} from "./ip-prefix.js";
import {
  DEFAULT_RULES,
  DEFAULT_RULES_V6,
  prepareRules,
  rulesOfFamily,
  routesHolding,
  walkRules,
  type WalkEnd,
} from "./rule-walk.js";

/**
 * Policy rules inside a workload namespace, judged by what they do to the workload's cluster
 * traffic, the way the host's own rules are (rule-walk.ts). netplan-k puts no rule in a
 * workload namespace: its routes (the default route via the gateway, the connected route of
 * its address) live in main, where the keyed diff repairs them. A rule someone added there can
 * still take the workload's packets to any address of the cluster CIDR before main is looked
 * up: drop them (blackhole, unreachable, prohibit), jump over main (goto), or send them to
 * another table whose route wins there. Each is a conflict that names the rule (and the route
 * of the other table), and the host is not applied: netplan-k does not delete what it did not
 * write. A rule that matches none of the cluster's traffic, or sends it to a table that holds
 * nothing for it (the walk goes on to main), is no conflict.
 *
 * Every table a rule consults is judged, the kernel's own rules included: the local table is
 * looked up first (rule 0), so a route someone put there (`ip -n red route add blackhole
 * 10.244.2.0/24 table local`; measured on a lab: red's pings to blue fail with "Invalid
 * argument" while the plan said No changes) takes the workload's packets before main. The
 * routes the kernel derives from the namespace's addresses (its own /32, the broadcast
 * address, lo's 127.0.0.0/8) are the addresses' and are not judged (address-routes.ts).
 *
 * One call judges one family: `clusterCidr` is the cluster's IPv4 range or its IPv6 one, with
 * that family's rules (`ip -6 rule` for IPv6) and routes; a dual-stack workload is judged
 * twice by the same code.
 */

export interface WorkloadRuleInput {
  readonly netns: string;
  /** The cluster's range of the family judged (its IPv4 CIDR, or its IPv6 one). */
  readonly clusterCidr: string;
  /** The namespace's rules as observed; absent in older observations: nothing is judged. */
  readonly rules: readonly RoutingRule[] | undefined;
  /** The namespace's routes as observed, of every table. */
  readonly routes: readonly Route[];
  /** The namespace's addresses as observed: the routes the kernel derives from them are theirs. */
  readonly addresses: readonly Address[];
  /** The namespace's routes as the topology wants them (all in main). */
  readonly desiredRoutes: readonly Route[];
}

const sameRule = (a: RoutingRule, b: RoutingRule): boolean =>
  a.priority === b.priority &&
  a.from === b.from &&
  a.to === b.to &&
  a.selective === b.selective &&
  a.table === b.table &&
  a.action === b.action &&
  a.suppressPrefixLength === b.suppressPrefixLength;

const isKernelDefault = (rule: RoutingRule): boolean =>
  [...DEFAULT_RULES, ...DEFAULT_RULES_V6].some((kernel) => sameRule(kernel, rule));

/**
 * The conflicts of one workload namespace's rules (see the notes above). Pure; throws nothing.
 * One conflict per rule or route, for the first range of the cluster CIDR it takes.
 */
export function findWorkloadRuleConflicts(input: WorkloadRuleInput): Conflict[] {
  const { netns, clusterCidr } = input;
  if (input.rules === undefined) return [];
  const family = familyOf(clusterCidr);
  const rules = rulesOfFamily(input.rules, family);
  const defaults = family === "ipv4" ? DEFAULT_RULES : DEFAULT_RULES_V6;
  // Main is judged as it will be after the plan: the keyed diff repairs what netplan-k owns.
  const others = input.routes.filter(
    (route) =>
      route.table !== MAIN_TABLE &&
      route.type !== "throw" &&
      isValidOf(route.dst, family) &&
      !isDerivedFromAddress(route, input.addresses),
  );
  // Most workloads hold exactly the kernel's three rules and routes: nothing to walk.
  if (others.length === 0 && rules.length === defaults.length && rules.every(isKernelDefault)) {
    return [];
  }
  const cluster = parseIpPrefix(clusterCidr);
  const routes = [
    ...others,
    ...input.desiredRoutes.filter(
      (route) => route.type !== "throw" && isValidOf(route.dst, family),
    ),
  ];
  // The cluster CIDR as a whole, and each part a route of the namespace gives its own answer.
  const ranges = [
    cluster,
    ...routes
      .map((route) => parseIpPrefix(route.dst))
      .filter(
        (prefix) => isPrefixWithin(prefix, cluster) && prefix.subnetMask > cluster.subnetMask,
      ),
  ];
  const prepared = prepareRules(rules, clusterCidr);
  // A workload's own packets are locally generated (iif lo): a main rule narrowed by a
  // selector may well still match them (measured: `iif lo lookup main` in the workload passes
  // its pings). Only a namespace with no lookup of main at all is sure to leave them unrouted.
  const mainLookedUp = rules.some((rule) => rule.table === MAIN_TABLE && rule.action === undefined);
  const conflicts = new Map<string, Conflict>();
  for (const range of ranges) {
    const candidates = routesHolding(routes, range);
    for (const end of walkRules(prepared, range, candidates)) {
      if (end.kind === "unrouted" && mainLookedUp) continue;
      const conflict = judgeEnd(end, routes, netns, range);
      if (conflict !== undefined && !conflicts.has(conflict.key)) {
        conflicts.set(conflict.key, conflict);
      }
    }
  }
  return [...conflicts.values()];
}

const cidrOf = prefixCidr;

/** `ip -n NS` and, for an IPv6 rule, `-6`: the start of a command that changes it. */
const ipRuleIn = (netns: string, prefix: string): string =>
  `ip -n ${netns}${familyOf(prefix) === "ipv6" ? " -6" : ""} rule`;

function judgeEnd(
  end: WalkEnd<number>,
  routes: readonly Route[],
  netns: string,
  range: IpPrefix,
): Conflict | undefined {
  const part = (rule: RoutingRule): IpPrefix => {
    const to = parseIpPrefix(rule.to);
    return isPrefixWithin(to, range) ? to : range;
  };
  const takes = (rule?: RoutingRule): string =>
    `takes ${cidrOf(rule === undefined ? range : part(rule))} of the cluster's traffic from ` +
    `workload ${netns}`;
  if (end.kind === "unrouted") {
    return makeConflict(
      "rule",
      netns,
      "no rule looks up table main",
      `no rule of namespace ${netns} looks up table main: the workload's packets to ` +
        `${cidrOf(range)} match no rule that finds their route; add the rule back ` +
        `(${ipRuleIn(netns, cidrOf(range))} add pref 32766 from all lookup main)`,
    );
  }
  if (end.kind !== "route") {
    const what =
      end.kind === "dropped"
        ? `its packets are dropped (${end.rule.action ?? ""})`
        : "it jumps over the lookup of table main, and no later rule finds a route";
    return makeConflict(
      "rule",
      netns,
      describeRule(end.rule),
      `${describeRule(end.rule)} in namespace ${netns} is not netplan-k's and ${takes(end.rule)}: ${what}; ` +
        `remove it (${ipRuleIn(netns, end.rule.from)} del pref ${end.rule.priority})`,
    );
  }
  const route = routes[end.id];
  if (route === undefined || route.table === MAIN_TABLE) return undefined;
  const removal =
    `ip -n ${netns} route del ${route.type === "unicast" ? "" : `${route.type} `}${route.dst} ` +
    `table ${describeTable(route.table)}`;
  // The kernel's own rule (0: lookup local) is not to be removed: only the route is in the way.
  const remedy = isKernelDefault(end.rule)
    ? `remove the route (${removal})`
    : `remove the rule (${ipRuleIn(netns, end.rule.from)} del pref ${end.rule.priority}) or the route (${removal})`;
  return makeConflict(
    "route",
    netns,
    routeKey(route),
    `${describeObject("route", route)} in namespace ${netns} is not netplan-k's and ${takes()} ` +
      `through ${describeRule(end.rule)}, before table main is looked up; ${remedy}`,
  );
}
