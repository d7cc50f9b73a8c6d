import type { Address, NetState, Route, RouteTableId, RoutingRule } from "../model/index.js";
import { addressKey, LOCAL_TABLE, MAIN_TABLE, routeKey } from "../model/index.js";
import { isDerivedFromAddress } from "./address-routes.js";
import { describeObject, labelObject } from "./describe-object.js";
import { describeRule, describeTable, ipRuleCommand } from "./describe-rule.js";
import { makeConflict } from "./make-change.js";
import {
  familyOf,
  hostPrefixOf,
  isPrefixWithin,
  isValidOf,
  parseIpPrefix,
  prefixCidr,
  type IpPrefix,
} from "./ip-prefix.js";
import { isInClusterRange } from "./ownership-rules.js";
import type { Conflict } from "./plan.js";
import {
  DEFAULT_RULES,
  prepareRules,
  walkRules,
  type RuleTable,
  type WalkCandidate,
  type WalkEnd,
} from "./rule-walk.js";

/**
 * Foreign objects judged by what they do to the topology's packets (DESIGN.md,
 * "preconditions"). A foreign address, route or policy rule is a conflict only when the
 * kernel would hand it, instead of what netplan-k installs, some packets for an address
 * netplan-k routes on this host; any other foreign object is invisible to the plan, whatever
 * its protocol or table.
 *
 * What netplan-k routes here (the "claims"): every desired route inside the cluster CIDR, and
 * every desired address inside it, as the two routes the kernel derives from an address (its
 * network in main, its own /32 in local).
 *
 * How the kernel picks is rule-walk.ts: the policy rules in order, longest prefix within a
 * table. For each claim and each foreign object that overlaps it, the walk runs over the
 * packets both cover with only the two in the tables:
 * - a foreign route or address conflicts when some of those packets end at it: in the
 *   claim's table when it is more specific, or as specific with a metric as good; in a table
 *   looked up before the claim's even when it is less specific; never in a table looked up
 *   after the claim's, or in none (a routing daemon's own table without a rule);
 * - a blackhole, unreachable or prohibit rule conflicts when some of a claim's packets reach
 *   it before the claim's table; a goto conflicts when it jumps over the claim's table and no
 *   later rule finds the claim. A goto that lands before the claim's table is no conflict in
 *   itself: the walk goes on from its target, as the kernel's does.
 * A selective rule (fwmark, iif, uid range, ...) matches only some packets: a conflict through
 * it says so. A foreign address takes the traffic to itself (its local /32, looked up first)
 * and, through its connected route in main, to its network; the routes the kernel derives
 * from an address are judged as that address (address-routes.ts).
 *
 * One call judges one family: `clusterCidr` is the cluster's IPv4 range or its IPv6 one, and
 * only objects and rules of that family are judged (a dual-stack host is judged twice, by the
 * same code: the kernel picks an IPv6 route by the same rules).
 */

export interface ForeignConflictInput {
  /** The cluster's range of the family judged (its IPv4 CIDR, or its IPv6 one). */
  readonly clusterCidr: string;
  /** The host's own namespace as the topology wants it. */
  readonly desired: NetState;
  /** The host's own namespace as observed (after the plan's link changes, see projectNet). */
  readonly observed: NetState;
  /** The policy rules observed; absent in older observations: the kernel's defaults. */
  readonly rules: readonly RoutingRule[] | undefined;
  /** Routes a routing daemon installs for the topology (bgp: the peers' blocks), also claims. */
  readonly learned?: readonly Route[];
  /** Whether an observed route is netplan-k's own (ownership-rules.ts). */
  readonly isRouteOwned: (route: Route) => boolean;
  /** Whether an observed address is netplan-k's own (it lives on an owned device). */
  readonly isAddressOwned: (address: Address) => boolean;
}

/** A prefix netplan-k routes on this host, where, and what puts it there (for messages). */
interface Claim {
  readonly prefix: IpPrefix;
  readonly table: RouteTableId;
  readonly metric: number;
  readonly what: string;
  /** The desired route behind a route's claim (an address's claims have none). */
  readonly route?: Route;
}

/** How a foreign object would be routed: as a route of a table with a metric. */
interface Contender {
  readonly prefix: IpPrefix;
  readonly table: RouteTableId;
  readonly metric: number;
  /** The foreign route itself (an address's contenders have none). */
  readonly route?: Route;
}

/**
 * A foreign route that sends the claim's packets exactly where netplan-k's route does: the same
 * prefix, type, device and gateway (measured on a vxlan lab: `10.7.2.0/24 via 10.7.2.0 dev
 * flannel.1 onlink table 100` with a rule to table 100 ahead of main, every path passes). Which
 * of the two the kernel picks changes nothing for the packets, so it takes nothing.
 */
const goesTheSameWay = (contender: Contender, claim: Claim): boolean =>
  contender.route !== undefined &&
  claim.route !== undefined &&
  contender.route.dst === claim.route.dst &&
  contender.route.type === claim.route.type &&
  contender.route.dev === claim.route.dev &&
  contender.route.via === claim.route.via;

/** What a foreign object takes of one claim: which packets, through which rule. */
interface Taking {
  readonly claim: Claim;
  readonly part: IpPrefix;
  readonly rule: RoutingRule;
}

const cidrOf = prefixCidr;

/** The smaller of two prefixes when one holds the other, else undefined (they are disjoint). */
function overlap(a: IpPrefix, b: IpPrefix): IpPrefix | undefined {
  if (isPrefixWithin(a, b)) return a;
  if (isPrefixWithin(b, a)) return b;
  return undefined;
}

function claimsOf(desired: NetState, learned: readonly Route[], clusterCidr: string): Claim[] {
  const routes = [...desired.routes, ...learned]
    .filter((route) => isInClusterRange(route.dst, clusterCidr))
    .map((route) => ({
      prefix: parseIpPrefix(route.dst),
      table: route.table,
      metric: route.metric,
      what: describeObject("route", route),
      route,
    }));
  const addresses = desired.addresses
    .filter((address) => isInClusterRange(address.cidr, clusterCidr))
    .flatMap((address) => {
      const what = labelObject("address", address);
      const ip = parseIpPrefix(address.cidr);
      return [
        { prefix: parseIpPrefix(cidrOf(ip)), table: MAIN_TABLE, metric: 0, what },
        {
          prefix: hostPrefixOf(ip),
          table: LOCAL_TABLE,
          metric: 0,
          what,
        },
      ];
    });
  return [...routes, ...addresses];
}

/**
 * "takes 10.244.1.0/26 of 10.244.1.0/24 (address …)": the part, then whose it is, and when
 * the rule that leads there is selective, that it matches only some packets.
 */
function describeTaking(taking: Taking): string {
  const whole = cidrOf(taking.claim.prefix);
  const part = cidrOf(taking.part);
  const only = taking.rule.selective
    ? ` (only packets that rule ${taking.rule.priority} selects by fwmark, iif, uid or the like)`
    : "";
  return `takes ${part === whole ? whole : `${part} of ${whole}`} (${taking.claim.what})${only}`;
}

const remedy = "or change the topology";

/**
 * The conflicts of the host's own namespace that no key match finds: foreign routes,
 * addresses and policy rules that would take traffic netplan-k routes. Objects whose key a
 * desired object has are left out: the keyed diff reports those already.
 */
export function findForeignConflicts(input: ForeignConflictInput): Conflict[] {
  const { clusterCidr, desired, observed } = input;
  // Claims are worked out at the first foreign object or rule that may take some: most hosts
  // have none, and a host of a thousand-host mesh claims a thousand blocks.
  let claimsMemo: readonly Claim[] | undefined;
  const claims = (): readonly Claim[] =>
    (claimsMemo ??= claimsOf(desired, input.learned ?? [], clusterCidr));
  const rules = prepareRules(input.rules ?? DEFAULT_RULES, clusterCidr);
  const family = familyOf(clusterCidr);
  const walk = (range: IpPrefix, candidates: WalkCandidate<string>[]): WalkEnd<string>[] =>
    walkRules(rules, range, candidates);
  const asCandidate = (route: Contender, id: string): WalkCandidate<string> => ({ ...route, id });

  // A route in a table no rule looks up takes nothing (a routing daemon's own table).
  const lookedUp = new Set(rules.rules.flatMap((rule) => rule.table ?? []));
  /** What the contenders take of the first claim they take anything of: its largest part. */
  const firstTaken = (all: readonly Contender[]): Taking | undefined => {
    const contenders = all.filter((contender) => lookedUp.has(contender.table));
    if (contenders.length === 0) return undefined;
    for (const claim of claims()) {
      const takings = contenders.flatMap((contender): Taking[] => {
        const part = overlap(contender.prefix, claim.prefix);
        if (part === undefined || goesTheSameWay(contender, claim)) return [];
        // The foreign route first: on a tie it is the one the kernel keeps looking at.
        const ends = walk(part, [asCandidate(contender, "foreign"), asCandidate(claim, "claim")]);
        const won = ends.find(
          (end): end is Extract<WalkEnd<string>, { kind: "route" }> =>
            end.kind === "route" && end.id === "foreign",
        );
        return won === undefined ? [] : [{ claim, part, rule: won.rule }];
      });
      const largest = takings.sort((a, b) => a.part.subnetMask - b.part.subnetMask)[0];
      if (largest !== undefined) return largest;
    }
    return undefined;
  };

  // Only a rule that drops packets or jumps can take them without a route, and only a missing
  // or narrowed lookup of main or local can leave them with none.
  const takingRules =
    rules.rules.some((rule) => rule.action !== undefined && rule.action !== "nop") ||
    !isLookedUpForAll(rules, MAIN_TABLE) ||
    !isLookedUpForAll(rules, LOCAL_TABLE);
  const conflicts: Conflict[] = takingRules ? findRuleConflicts(claims(), walk) : [];
  const desiredAddresses = new Set(desired.addresses.map(addressKey));
  for (const address of observed.addresses) {
    if (input.isAddressOwned(address) || desiredAddresses.has(addressKey(address))) continue;
    if (!isValidOf(address.cidr, family)) continue;
    const ip = parseIpPrefix(address.cidr);
    const taking = firstTaken([
      { prefix: hostPrefixOf(ip), table: LOCAL_TABLE, metric: 0 },
      { prefix: parseIpPrefix(cidrOf(ip)), table: MAIN_TABLE, metric: 0 },
    ]);
    if (taking === undefined) continue;
    conflicts.push(
      makeConflict(
        "address",
        undefined,
        addressKey(address),
        `${labelObject("address", address)} is not netplan-k's and ${describeTaking(taking)}: ` +
          `packets for it would stay on ${address.dev}; ` +
          `remove it (ip address del ${address.cidr} dev ${address.dev}) ${remedy}`,
      ),
    );
  }

  const desiredKeys = new Set(desired.routes.map(routeKey));
  // A learned route as its daemon installed it is the claim itself, not a contender.
  const learnedProtocols = new Map((input.learned ?? []).map((r) => [routeKey(r), r.protocol]));
  for (const route of observed.routes) {
    if (input.isRouteOwned(route) || desiredKeys.has(routeKey(route))) continue;
    if (!isValidOf(route.dst, family)) continue;
    if (learnedProtocols.get(routeKey(route)) === route.protocol) continue;
    // An address's own routes: the address is judged instead.
    if (isDerivedFromAddress(route, observed.addresses)) continue;
    // A throw route ends the lookup in its table and sends it on to the next rule: it never
    // takes a packet itself.
    if (route.type === "throw") continue;
    const taking = firstTaken([
      { prefix: parseIpPrefix(route.dst), table: route.table, metric: route.metric, route },
    ]);
    if (taking === undefined) continue;
    conflicts.push(
      makeConflict(
        "route",
        undefined,
        routeKey(route),
        `${describeObject("route", route)} is not netplan-k's and ${describeTaking(taking)}; ` +
          "remove it " +
          `(ip route del ${route.dst} table ${route.table}${route.metric === 0 ? "" : ` metric ${route.metric}`}) ${remedy}`,
      ),
    );
  }
  return conflicts;
}

/** Whether a rule looks `table` up for every packet (as the kernel's own rules do). */
const isLookedUpForAll = ({ rules, everywhere }: RuleTable, table: RouteTableId): boolean =>
  rules.some(
    (rule) =>
      rule.table === table &&
      rule.action === undefined &&
      !rule.selective &&
      rule.suppressPrefixLength === undefined &&
      rule.from === everywhere &&
      rule.to === everywhere,
  );

/**
 * Rules that take a claim's packets before its table is looked up: a blackhole, unreachable
 * or prohibit rule, or a goto that jumps over the claim's table. One conflict per rule, for
 * the first claim it takes. And one conflict when some of a claim's packets match no rule
 * that finds its route (main's rule 32766 deleted, or narrowed to `iif lo`): the kernel then
 * answers "network unreachable" for them.
 */
function findRuleConflicts(
  claims: readonly Claim[],
  walk: (range: IpPrefix, candidates: WalkCandidate<string>[]) => WalkEnd<string>[],
): Conflict[] {
  const found = new Map<RoutingRule, Conflict>();
  let unrouted: Conflict | undefined;
  for (const claim of claims) {
    const ends = walk(claim.prefix, [{ ...claim, id: "claim" }]);
    for (const end of ends) {
      if (end.kind === "unrouted") {
        unrouted ??= unroutedConflict(claim);
        continue;
      }
      if (end.kind === "route" || found.has(end.rule)) continue;
      const { rule } = end;
      const part = overlap(parseIpPrefix(rule.to), claim.prefix) ?? claim.prefix;
      const what =
        end.kind === "dropped"
          ? `packets to it are dropped (${rule.action ?? ""}) before table ${describeTable(claim.table)} is looked up`
          : `it jumps over the lookup of table ${describeTable(claim.table)}, and no later rule finds the route`;
      found.set(
        rule,
        makeConflict(
          "rule",
          undefined,
          describeRule(rule),
          `${describeRule(rule)} is not netplan-k's and ${describeTaking({ claim, part, rule })}: ` +
            `${what}; remove it (${ipRuleCommand(rule.from)} del pref ${rule.priority}) ${remedy}`,
        ),
      );
    }
  }
  return [...found.values(), ...(unrouted === undefined ? [] : [unrouted])];
}

/** The kernel's own rule for a table: 0 for local, 32766 for main, 32767 for default. */
const KERNEL_RULE_PRIORITY: Readonly<Record<number, number>> = {
  [LOCAL_TABLE]: 0,
  [MAIN_TABLE]: 32766,
};

function unroutedConflict(claim: Claim): Conflict {
  const table = describeTable(claim.table);
  const priority = typeof claim.table === "number" ? KERNEL_RULE_PRIORITY[claim.table] : undefined;
  return makeConflict(
    "rule",
    undefined,
    `no rule looks up table ${table}`,
    `no rule looks up table ${table} for all of ${cidrOf(claim.prefix)} (${claim.what}): ` +
      "some of its packets match no rule that finds a route and the kernel answers " +
      `"network unreachable"; add the rule back (${ipRuleCommand(cidrOf(claim.prefix))} add pref ` +
      `${priority ?? "<priority>"} from all lookup ${table}) ${remedy}`,
  );
}
