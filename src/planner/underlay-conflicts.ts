import type {
  FdbEntry,
  Neighbour,
  Route,
  RoutingRule,
  UnderlayRequirement,
} from "../model/index.js";
import { LOCAL_TABLE, MAIN_TABLE, neighbourKey, routeKey } from "../model/index.js";
import { describeObject, labelObject } from "./describe-object.js";
import { describeRule, describeTable } from "./describe-rule.js";
import { makeConflict } from "./make-change.js";
import { familyOf, hostBitsOf, isPrefixWithin, isValidOf, parseIpPrefix } from "./ip-prefix.js";
import { isInClusterRange } from "./ownership-rules.js";
import type { Conflict } from "./plan.js";
import {
  DEFAULT_RULES,
  prepareRules,
  routesHolding,
  walkRules,
  type WalkEnd,
} from "./rule-walk.js";

/**
 * The underlay path to every peer is a claim too, like a block (DESIGN.md, "preconditions"):
 * a host whose packets to a peer's underlay address would be dropped, or sent anywhere but
 * out of its underlay interface, cannot carry the cluster, whatever its cluster routes say.
 *
 * The peers' underlay addresses are read from what the host's desired state sends to over the
 * underlay, so that no mode is named here: the gateway of a route (host-gw's next hop, ipip's
 * onlink tunnel endpoint, bgp's learned routes: the BGP neighbour), the destination of an fdb
 * entry (a vxlan VTEP). For each such address the kernel's rules are walked (rule-walk.ts)
 * with every observed route that holds it, for packets from the host's own underlay address
 * (the encapsulated packets and BIRD's sessions leave from it). A conflict:
 * - a route that wins the walk and is not a unicast route out of the underlay interface: a
 *   blackhole, unreachable or prohibit route, or one through another device;
 * - a route that wins the walk for a peer on the underlay's own subnet and sends it through a
 *   gateway, where the kernel's connected route would have handed the packets to the peer
 *   itself (`ip route add 192.0.2.22/32 via 192.0.2.254 dev eth0 table 50` and a rule to it).
 *   Measured on a vxlan lab: a gateway that does not exist, or one that does not forward, cuts
 *   the peer off; one that forwards carries the packets. netplan-k cannot see what another
 *   machine does with them, so the detour is a conflict either way;
 * - a rule that drops the packets (blackhole, unreachable, prohibit) or jumps over the table
 *   that routes them;
 * - no route at all to the peer's address, in any table a rule looks up (the underlay lost its
 *   route to the peer's subnet: the fdb destination or next hop is unroutable). Judged only
 *   on a full observation, one that lists the kernel's own local route of the underlay
 *   address: a snapshot or fixture written without the kernel's routes says nothing of what
 *   the host can reach. When routes to the peer exist but no rule reaches them (main's rule
 *   32766 deleted or narrowed), the rule walk of the cluster's blocks owns the finding
 *   (foreign-conflicts.ts), so it is reported once;
 * The walk is for the addresses the kernel looks a route up for: a VTEP (the vxlan device
 * routes each encapsulated packet to it), a tunnel endpoint (a route through tunl0 `onlink`),
 * a BGP neighbour (BIRD's session to it). A peer used only as the next hop of a desired route
 * out of the underlay interface itself (host-gw's `via PEER dev eth0`) is not walked: the kernel
 * forwards to that next hop by resolving it on the device, with no route lookup, and when it
 * adds the route it checks the gateway only against routes of scope link or host
 * (fib_check_nh_v4_gw in net/ipv4/fib_semantics.c). Measured on a host-gw lab: with
 * `unreachable PEER/32 table local`, with `blackhole PEER/32` in main (the route to the block
 * also deleted and added again) and with PEER/32 sent via another gateway by a rule, every path
 * passes; the same unreachable route on a vxlan lab cuts the peer off. Such a peer is still
 * judged for a missing route and a pinned neighbour below;
 * - a permanent or noarp neighbour entry for a peer on the host's own underlay subnet, on the
 *   underlay interface, whose MAC is not the one the peer's underlay interface was observed
 *   with. The kernel never resolves either again (measured: pings fail for as long as it
 *   stays); a reachable, stale, delay or probe entry with a wrong MAC is probed again and
 *   heals by itself (measured: within 40 s for reachable, the base_reachable_time), so it is
 *   not judged.
 *   netplan-k never writes neighbours on the underlay, so such an entry is someone else's.
 *   What cannot be known: the peer's MAC when the peer was not observed in the same run (a
 *   snapshot without it, an unreachable peer, `--limit` leaving it out): then a permanent
 *   entry is not judged; nor can a stale dynamic entry be judged (the kernel re-resolves it);
 *   nor whether a switch between the hosts delivers that MAC (a proxy or a VRRP address).
 *
 * One call judges one family: the underlay's IPv4 address with the cluster's IPv4 range, or a
 * dual-stack host's IPv6 underlay address with the IPv6 range, each with its own rules
 * (`ip -6 rule`), routes and neighbour table. The kernel's facts above hold for IPv6 as they
 * are (a VTEP's packets are routed to it, a next hop on the device is resolved on it). An
 * observation lists the kernel's routes when it holds a `local` route of the underlay
 * interface in table local: the IPv4 address's own for IPv4; for IPv6, whose kernel entries
 * of table local are not read (src/observe/parse-ip-routes.ts), any (the listing holds both
 * families).
 */

export interface UnderlayConflictInput {
  /**
   * The host's underlay interface and its address of the family judged
   * (HostRequirements.underlay, or its `v6` on the same interface).
   */
  readonly underlay: Pick<UnderlayRequirement, "interface" | "address" | "prefix">;
  /** The cluster's range of the family judged (its IPv4 CIDR, or its IPv6 one). */
  readonly clusterCidr: string;
  /** What the host's desired root namespace sends over the underlay. */
  readonly desiredRoutes: readonly Route[];
  readonly desiredFdb: readonly FdbEntry[];
  /** Routes a routing daemon installs for the topology (bgp: next hop the BGP neighbour). */
  readonly learned: readonly Route[];
  /** The host's root namespace as observed. */
  readonly routes: readonly Route[];
  readonly neighbours: readonly Neighbour[];
  /** The policy rules observed; absent in older observations: the kernel's defaults. */
  readonly rules: readonly RoutingRule[] | undefined;
  /** The MAC of each peer's underlay interface by its underlay address, where observed. */
  readonly peerMacs: ReadonlyMap<string, string>;
}

/** A peer's underlay address and the first desired object that sends to it (for messages). */
interface PeerUse {
  readonly address: string;
  readonly what: string;
  /** Whether the kernel looks a route up to it (not only a next hop out of the underlay). */
  readonly lookedUp: boolean;
}

/** The peers' underlay addresses the desired state sends to, each with what sends there. */
function peerUses(input: UnderlayConflictInput): PeerUse[] {
  const uses = new Map<string, PeerUse>();
  const family = familyOf(input.underlay.address);
  const add = (address: string | undefined, lookedUp: boolean, what: () => string): void => {
    if (address === undefined || !isValidOf(address, family)) return;
    if (address === input.underlay.address) return;
    if (isInClusterRange(address, input.clusterCidr)) return;
    const known = uses.get(address);
    if (known === undefined) uses.set(address, { address, what: what(), lookedUp });
    else if (lookedUp && !known.lookedUp) uses.set(address, { ...known, lookedUp });
  };
  const onUnderlay = (route: Route): boolean =>
    route.dev === input.underlay.interface && !route.onlink;
  for (const route of input.desiredRoutes) {
    add(route.via, !onUnderlay(route), () => `next hop of ${describeObject("route", route)}`);
  }
  // A learned route's next hop is the BGP neighbour: BIRD's session looks a route up to it.
  for (const route of input.learned) {
    add(route.via, true, () => `next hop of ${describeObject("route", route)}`);
  }
  for (const entry of input.desiredFdb) {
    add(entry.dst, true, () => `VTEP of ${labelObject("fdb", entry)}`);
  }
  return [...uses.values()];
}

const remedy = "or change the topology";

/**
 * The conflicts that keep the host's packets from its peers' underlay addresses (see the
 * notes above). Pure; throws nothing. One conflict per foreign route, rule or neighbour, for
 * the first peer it takes.
 */
export function findUnderlayConflicts(input: UnderlayConflictInput): Conflict[] {
  const uses = peerUses(input);
  if (uses.length === 0) return [];
  const { underlay } = input;
  const family = familyOf(underlay.address);
  const hostBits = hostBitsOf(family);
  const rules = prepareRules(input.rules ?? DEFAULT_RULES, `${underlay.address}/${hostBits}`);
  const routes = input.routes.filter(
    (route) => route.type !== "throw" && isValidOf(route.dst, family),
  );
  const lookedUp = new Set(rules.rules.flatMap((rule) => rule.table ?? []));
  // Main's rule deleted or narrowed is the rule walk's finding, whatever it leaves unrouted.
  const mainLookedUpForAll = rules.rules.some(
    (rule) =>
      rule.table === MAIN_TABLE &&
      rule.action === undefined &&
      !rule.selective &&
      rule.from === rules.everywhere &&
      rule.to === rules.everywhere,
  );
  const fullObservation = input.routes.some(
    (route) =>
      route.table === LOCAL_TABLE &&
      route.type === "local" &&
      route.dev === underlay.interface &&
      (family === "ipv6" || route.dst === `${underlay.address}/32`),
  );
  const subnet = parseIpPrefix(`${underlay.address}/${underlay.prefix}`);
  const conflicts = new Map<string, Conflict>();
  const add = (conflict: Conflict): void => {
    const key = `${conflict.kind}/${conflict.key}`;
    if (!conflicts.has(key)) conflicts.set(key, conflict);
  };

  for (const peer of uses) {
    const range = parseIpPrefix(`${peer.address}/${hostBits}`);
    const candidates = routesHolding(routes, range);
    const takes = `takes the underlay path to peer ${peer.address} (${peer.what})`;
    if (
      fullObservation &&
      mainLookedUpForAll &&
      !candidates.some((candidate) => lookedUp.has(candidate.table))
    ) {
      add(unroutedPeer(peer, underlay));
      continue;
    }
    const onSubnet = isPrefixWithin(range, subnet);
    const ends = peer.lookedUp ? walkRules(rules, range, candidates) : [];
    for (const end of ends) {
      const conflict = judgeEnd(end, routes, underlay.interface, onSubnet, takes);
      if (conflict !== undefined) add(conflict);
    }
    const neighbour = poisonedNeighbour(input, peer.address);
    if (neighbour !== undefined) {
      add(
        makeConflict(
          "neighbour",
          undefined,
          neighbourKey(neighbour),
          `${labelObject("neighbour", neighbour)} lladdr ${neighbour.lladdr ?? "(none)"} ` +
            `${pinnedState(neighbour)} is not netplan-k's and ${takes}: ${peer.address} is ` +
            `${input.peerMacs.get(peer.address) ?? "?"} on ${underlay.interface}, and the kernel ` +
            `never re-resolves a ${pinnedState(neighbour)} entry; remove it ` +
            `(ip neigh del ${neighbour.dst} dev ${neighbour.dev}) ${remedy}`,
        ),
      );
    }
  }
  return [...conflicts.values()];
}

/** No route holds the peer's underlay address: its packets cannot leave at all. */
function unroutedPeer(peer: PeerUse, underlay: UnderlayConflictInput["underlay"]): Conflict {
  return makeConflict(
    "route",
    undefined,
    `no route to ${peer.address}`,
    `no route to peer ${peer.address} (${peer.what}): no table a rule looks up holds a route ` +
      `to it, so its packets cannot leave; add one (ip route add ${peer.address} via ` +
      `<gateway> dev ${underlay.interface}, or the connected route of ${underlay.interface}'s ` +
      `subnet) ${remedy}`,
  );
}

/** The conflict one end of the walk to a peer's underlay address makes, if any. */
function judgeEnd(
  end: WalkEnd<number>,
  routes: readonly Route[],
  underlayInterface: string,
  peerOnSubnet: boolean,
  takes: string,
): Conflict | undefined {
  // Some route holds the peer but no rule reaches it: the rule walk of the blocks owns that.
  if (end.kind === "unrouted") return undefined;
  if (end.kind !== "route") {
    const what =
      end.kind === "dropped"
        ? `packets to it are dropped (${end.rule.action ?? ""})`
        : "it jumps over the lookup that routes them, and no later rule finds a route";
    return makeConflict(
      "rule",
      undefined,
      describeRule(end.rule),
      `${describeRule(end.rule)} is not netplan-k's and ${takes}: ${what}; remove it ` +
        `(ip rule del pref ${end.rule.priority}) ${remedy}`,
    );
  }
  const route = routes[end.id];
  if (route === undefined) return undefined;
  const detour = peerOnSubnet && route.via !== undefined;
  if (route.type === "unicast" && route.dev === underlayInterface && !detour) return undefined;
  const where =
    route.type !== "unicast"
      ? `packets to it are dropped (${route.type})`
      : route.dev !== underlayInterface
        ? `packets to it would leave through ${route.dev ?? "another device"}, not ${underlayInterface}`
        : `packets to it would go to gateway ${route.via ?? ""}, though the peer is on ` +
          `${underlayInterface}'s own subnet and its connected route hands them to the peer itself`;
  return makeConflict(
    "route",
    undefined,
    routeKey(route),
    `${describeObject("route", route)} is not netplan-k's and ${takes}: ${where}; remove it ` +
      `(ip route del ${route.type === "unicast" ? "" : `${route.type} `}${route.dst} table ` +
      `${describeTable(route.table)}) ${remedy}`,
  );
}

/** The state of a neighbour entry the kernel never resolves again, as `ip neigh` names it. */
const pinnedState = (neighbour: Neighbour): string => (neighbour.permanent ? "permanent" : "noarp");

/**
 * A permanent or noarp neighbour entry for `peer` on the underlay interface whose MAC is not the
 * peer's: only for a peer on the host's own underlay subnet (others are reached through a
 * gateway, whose entry is the one used), and only when the peer's MAC was observed.
 */
function poisonedNeighbour(input: UnderlayConflictInput, peer: string): Neighbour | undefined {
  const { underlay } = input;
  const subnet = parseIpPrefix(`${underlay.address}/${underlay.prefix}`);
  if (!isPrefixWithin(parseIpPrefix(peer), subnet)) return undefined;
  const mac = input.peerMacs.get(peer);
  if (mac === undefined) return undefined;
  return input.neighbours.find(
    (neighbour) =>
      neighbour.dev === underlay.interface &&
      neighbour.dst === peer &&
      (neighbour.permanent || neighbour.noarp === true) &&
      neighbour.lladdr?.toLowerCase() !== mac.toLowerCase(),
  );
}
