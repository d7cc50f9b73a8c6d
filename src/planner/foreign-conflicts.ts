import { Address4 } from "ip-address";
import type { Address, NetState, Route, RouteTableId, RoutingRule } from "../model/index.js";
import { addressKey, routeKey } from "../model/index.js";
import { describeObject, labelObject } from "./describe-object.js";
import { makeConflict } from "./make-change.js";
import { isInClusterCidr } from "./ownership-rules.js";
import type { Conflict } from "./plan.js";

/**
 * Foreign objects judged by what they do to the topology's packets (DESIGN.md,
 * "preconditions"). A foreign address or route is a conflict only when the kernel would pick
 * it, instead of what netplan-k installs, for some address netplan-k routes on this host; any
 * other foreign object is invisible to the plan, whatever its protocol or table.
 *
 * What netplan-k routes here (the "claims"): every desired route inside the cluster CIDR, and
 * every desired address inside it, as the two routes the kernel derives from an address (its
 * network in main, its own /32 in local).
 *
 * How the kernel picks (fib rules, then longest prefix within a table): tables are tried in
 * the order of the rules that can carry cluster traffic, the first table with a matching route
 * wins. So a foreign route F beats a claim C when:
 * - F is in C's table and is more specific than C, or the same prefix with a metric as good;
 * - F's table is tried before C's and F overlaps C at all (even a less specific F takes the
 *   traffic there);
 * - never when F's table is tried after C's, or is not tried for cluster traffic at all
 *   (a routing daemon's own table without a rule, the default table after main).
 * A foreign address takes the traffic to itself (its local /32, tried first) and, through its
 * connected route in main, to its network.
 */

const MAIN_TABLE = 254;
const LOCAL_TABLE = 255;
const KERNEL_PROTOCOL = 2;
/** The rules every kernel starts with (`ip rule` on a fresh namespace). */
const DEFAULT_RULES: readonly RoutingRule[] = [
  { priority: 0, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: LOCAL_TABLE },
  { priority: 32766, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: MAIN_TABLE },
  { priority: 32767, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 253 },
];

export interface ForeignConflictInput {
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
  readonly prefix: Address4;
  readonly table: RouteTableId;
  readonly metric: number;
  /** The desired object that puts it there, for messages (worked out only for a conflict). */
  readonly what: () => string;
}

/** How a foreign object would be routed: as a route of a table with a metric. */
interface Contender {
  readonly prefix: Address4;
  readonly table: RouteTableId;
  readonly metric: number;
}

const cidrOf = (prefix: Address4): string =>
  `${prefix.startAddress().correctForm()}/${prefix.subnetMask}`;

function claimsOf(desired: NetState, learned: readonly Route[], clusterCidr: string): Claim[] {
  const routes = [...desired.routes, ...learned]
    .filter((route) => isInClusterCidr(route.dst, clusterCidr))
    .map((route) => ({
      prefix: new Address4(route.dst),
      table: route.table,
      metric: route.metric,
      what: () => describeObject("route", route),
    }));
  const addresses = desired.addresses
    .filter((address) => isInClusterCidr(address.cidr, clusterCidr))
    .flatMap((address) => {
      const what = () => labelObject("address", address);
      const ip = new Address4(address.cidr);
      return [
        { prefix: new Address4(cidrOf(ip)), table: MAIN_TABLE, metric: 0, what },
        {
          prefix: new Address4(`${ip.addressMinusSuffix}/32`),
          table: LOCAL_TABLE,
          metric: 0,
          what,
        },
      ];
    });
  return [...routes, ...addresses];
}

/**
 * When each table is first tried for cluster traffic: the lowest priority of a rule that looks
 * it up and can match a packet between cluster addresses. For the tables netplan-k's claims
 * live in, only rules that always match count (a fwmark rule may not); for foreign tables any
 * rule counts. A table no such rule looks up is never tried: it is missing from the map.
 */
function tableOrder(
  rules: readonly RoutingRule[],
  clusterCidr: string,
  claimTables: ReadonlySet<RouteTableId>,
): Map<RouteTableId, number> {
  const cluster = new Address4(clusterCidr);
  const reaches = (selector: string): boolean => {
    const range = new Address4(selector);
    return range.isInSubnet(cluster) || cluster.isInSubnet(range);
  };
  const order = new Map<RouteTableId, number>();
  for (const rule of rules) {
    if (rule.table === undefined || !reaches(rule.from) || !reaches(rule.to)) continue;
    if (rule.selective && claimTables.has(rule.table)) continue;
    const before = order.get(rule.table);
    if (before === undefined || rule.priority < before) order.set(rule.table, rule.priority);
  }
  return order;
}

function beats(
  contender: Contender,
  claim: Claim,
  order: ReadonlyMap<RouteTableId, number>,
): boolean {
  const own = order.get(contender.table);
  const theirs = order.get(claim.table);
  if (own === undefined) return false;
  const inside = contender.prefix.isInSubnet(claim.prefix);
  if (contender.table === claim.table) {
    const same = contender.prefix.subnetMask === claim.prefix.subnetMask;
    return inside && (!same || contender.metric <= claim.metric);
  }
  if (theirs !== undefined && own > theirs) return false;
  return inside || claim.prefix.isInSubnet(contender.prefix);
}

const remedy = "or change the topology";

/**
 * The conflicts of the host's own namespace that no key match finds: foreign routes and
 * addresses that would take traffic netplan-k routes. Objects whose key a desired object has
 * are left out: the keyed diff reports those already.
 */
export function findForeignConflicts(input: ForeignConflictInput): Conflict[] {
  const { clusterCidr, desired, observed } = input;
  // Claims are worked out at the first foreign contender: most hosts have none.
  let judge: { claims: readonly Claim[]; order: ReadonlyMap<RouteTableId, number> } | undefined;
  const firstBeaten = (contenders: readonly Contender[]): Claim | undefined => {
    if (judge === undefined) {
      const claims = claimsOf(desired, input.learned ?? [], clusterCidr);
      const tables = new Set(claims.map((claim) => claim.table));
      judge = { claims, order: tableOrder(input.rules ?? DEFAULT_RULES, clusterCidr, tables) };
    }
    const { claims, order } = judge;
    return claims.find((claim) => contenders.some((contender) => beats(contender, claim, order)));
  };

  const conflicts: Conflict[] = [];
  const desiredAddresses = new Set(desired.addresses.map(addressKey));
  for (const address of observed.addresses) {
    if (input.isAddressOwned(address) || desiredAddresses.has(addressKey(address))) continue;
    if (!Address4.isValid(address.cidr)) continue;
    const ip = new Address4(address.cidr);
    const claim = firstBeaten([
      { prefix: new Address4(`${ip.addressMinusSuffix}/32`), table: LOCAL_TABLE, metric: 0 },
      { prefix: new Address4(cidrOf(ip)), table: MAIN_TABLE, metric: 0 },
    ]);
    if (claim === undefined) continue;
    conflicts.push(
      makeConflict(
        "address",
        undefined,
        addressKey(address),
        `${labelObject("address", address)} is not netplan-k's and takes ` +
          `${cidrOf(claim.prefix)} (${claim.what()}): packets for it would stay on ${address.dev}; ` +
          `remove it (ip address del ${address.cidr} dev ${address.dev}) ${remedy}`,
      ),
    );
  }

  const desiredKeys = new Set(desired.routes.map(routeKey));
  // A learned route as its daemon installed it is the claim itself, not a contender.
  const learnedProtocols = new Map((input.learned ?? []).map((r) => [routeKey(r), r.protocol]));
  for (const route of observed.routes) {
    // proto kernel routes are an address's own: the address is judged instead.
    if (route.protocol === KERNEL_PROTOCOL || input.isRouteOwned(route)) continue;
    if (desiredKeys.has(routeKey(route)) || !Address4.isValid(route.dst)) continue;
    if (learnedProtocols.get(routeKey(route)) === route.protocol) continue;
    // A throw route ends the lookup in its table and sends it on to the next rule: it never
    // takes a packet itself.
    if (route.type === "throw") continue;
    const claim = firstBeaten([
      { prefix: new Address4(route.dst), table: route.table, metric: route.metric },
    ]);
    if (claim === undefined) continue;
    conflicts.push(
      makeConflict(
        "route",
        undefined,
        routeKey(route),
        `${describeObject("route", route)} is not netplan-k's and would win over ` +
          `${claim.what()} for ${cidrOf(claim.prefix)}; remove it ` +
          `(ip route del ${route.dst} table ${route.table}${route.metric === 0 ? "" : ` metric ${route.metric}`}) ${remedy}`,
      ),
    );
  }
  return conflicts;
}
