import type {
  Address,
  FdbEntry,
  Link,
  NetState,
  Neighbour,
  Route,
  RoutingRule,
} from "../model/index.js";
import { addressKey, fdbKey, neighbourKey, ROUTE_PROTOCOL, routeKey } from "../model/index.js";
import { describeObject, labelObject } from "./describe-object.js";
import { diffKeyed, type LinkFate } from "./diff-keyed.js";
import { diffLinks, type VethPeer } from "./diff-links.js";
import { findForeignConflicts } from "./foreign-conflicts.js";
import { fdbFieldChanges, neighbourFieldChanges, routeFieldChanges } from "./field-changes.js";
import { makeConflict, mergeResults, type DiffResult } from "./make-change.js";
import type { Conflict } from "./plan.js";
import {
  isComparedAddress,
  isComparedNeighbour,
  isComparedRoute,
  isKernelFallbackDevice,
} from "./normalisations.js";
import {
  clusterRangesOf,
  isAddressOwnedOn,
  isAdoptableTunnel,
  isLinkOwned,
  hasIpv6Range,
  isRouteOwned,
  routeProtocolName,
  type Scope,
} from "./ownership-rules.js";
import { routedGatewayAddresses } from "./routed-gateway.js";
import {
  devicesLeftWithoutAddress,
  projectNet,
  withoutConnectedRoutes,
} from "./project-observed.js";

export interface NetDiffInput {
  readonly scope: Scope;
  readonly desired: NetState;
  readonly observed: NetState;
  /** Links that appear without a create of their own: peers of veths created elsewhere. */
  readonly fresh: readonly Link[];
  readonly isPeerPresent: (peer: VethPeer) => boolean;
  /** The host's policy rules, observed (HostState.rules); only the host's own namespace has them. */
  readonly rules?: readonly RoutingRule[] | undefined;
  /** Routes a routing daemon installs here for the topology; only the host's own namespace. */
  readonly learned?: readonly Route[];
  /** Devices of the host's own namespace observed with `disable_ipv6` 1 (routed-gateway.ts). */
  readonly ipv6Disabled?: ReadonlySet<string>;
  /** Observed routes the plan's stopping of a routing daemon takes away (routes-leaving-with-bird.ts). */
  readonly leavesWithDaemon?: (route: Route) => boolean;
}

export interface NetDiff extends DiffResult {
  /** Links of this namespace that are deleted or recreated (their objects go with them). */
  readonly vanished: ReadonlySet<string>;
}

const remedy = "or change the topology";

function routeConflictReason(scope: Scope, route: Route): string {
  const where = route.via
    ? ` via ${route.via}`
    : route.dev
      ? ` dev ${route.dev}`
      : ` type ${route.type}`;
  const found = `${labelObject("route", route)} exists with proto ${routeProtocolName(route.protocol)}${where}`;
  // Same protocol number, destination outside our cluster CIDR: another topology's route.
  const whose =
    route.protocol === ROUTE_PROTOCOL
      ? `lies outside cluster CIDR ${scope.clusterCidr}, so it belongs to another netplan-k topology`
      : "is not netplan-k's";
  return `${found} and ${whose}; remove it ${remedy}`;
}

/**
 * Routes of netplan-k's that share a key (`ip route prepend` or `append` of a second next hop
 * for one prefix, table and metric). The kernel lists both and uses the first (measured on a
 * lab: `ip route get` answers the prepended gateway), and `ip route replace` with the second's
 * fields fails with "File exists", so no plan can repair it: one conflict per key, naming the
 * route the kernel uses and the delete that leaves the other.
 */
function findOwnedTwice(
  netns: string | undefined,
  routes: readonly Route[],
  isOwned: (route: Route) => boolean,
): Conflict[] {
  const first = new Map<string, Route>();
  const conflicts = new Map<string, Conflict>();
  for (const route of routes) {
    if (!isOwned(route)) continue;
    const key = routeKey(route);
    const used = first.get(key);
    if (used === undefined) {
      first.set(key, route);
      continue;
    }
    if (conflicts.has(key)) continue;
    const where = netns === undefined ? "ip" : `ip -n ${netns}`;
    conflicts.set(
      key,
      makeConflict(
        "route",
        netns,
        key,
        `${describeObject("route", route)} is held twice: ${describeObject("route", used)} ` +
          "has the same prefix, table and metric and is listed first, so the kernel uses it; " +
          `delete it (${where} route del ${used.dst}${used.via === undefined ? "" : ` via ${used.via}`}` +
          `${used.dev === undefined ? "" : ` dev ${used.dev}`} table ${used.table}) and plan again`,
      ),
    );
  }
  return [...conflicts.values()];
}

const onForeignLink = (label: string, removal: string): string =>
  `${label} exists on a link netplan-k does not own; remove it (${removal}) ${remedy}`;

/** One namespace: links first (they decide what vanishes), then what lives on links. */
export function diffNet(input: NetDiffInput): NetDiff {
  const { scope, desired, observed, fresh } = input;
  const netns = scope.netns;
  const freshNames = new Set(fresh.map((link) => link.name));
  const links = diffLinks({
    scope,
    desired: desired.links,
    observed: projectNet(observed, freshNames, fresh).links,
    isPeerPresent: input.isPeerPresent,
  });
  // A deleted tunl0 stays (the kernel keeps a tunnel module's fallback device), and so does
  // what lives on it: netplan-k's own addresses and routes there are deleted one by one.
  const vanished = new Set([
    ...freshNames,
    ...links.changes
      .filter(
        (change) =>
          change.action === "replace" ||
          (change.action === "delete" &&
            !(change.kind === "link" && change.before && isKernelFallbackDevice(change.before))),
      )
      .map((change) => change.key),
  ]);
  const base = projectNet(observed, vanished, fresh);
  const fates = new Map<string, LinkFate>([
    ...[...freshNames].map((name) => [name, "recreated"] as const),
    ...links.changes
      .filter((change) => vanished.has(change.key))
      .map((change) => [change.key, change.action === "delete" ? "deleted" : "recreated"] as const),
  ]);
  const goneWithLink = <T extends { readonly dev?: string }>(objects: readonly T[]) => ({
    objects: objects.filter((object) => object.dev !== undefined && vanished.has(object.dev)),
    fateOf: (dev: string) => fates.get(dev),
  });

  const desiredLinks = new Map(desired.links.map((link) => [link.name, link]));
  const ownedDevs = new Set(
    base.links
      .filter((link) => {
        const want = desiredLinks.get(link.name);
        return isLinkOwned(scope, link) || (want !== undefined && isAdoptableTunnel(want, link));
      })
      .map((link) => link.name),
  );
  const isOnOwnedDev = (object: { readonly dev: string }): boolean =>
    netns !== undefined || ownedDevs.has(object.dev);
  const never = (): boolean => false;
  const linksByName = new Map(base.links.map((link) => [link.name, link]));

  // Routed attach's IPv6 gateway on each host veth that stays up (routed-gateway.ts).
  const desiredAddresses =
    netns === undefined && hasIpv6Range(scope)
      ? [
          ...desired.addresses,
          ...routedGatewayAddresses(desired.links, linksByName, input.ipv6Disabled ?? new Set()),
        ]
      : desired.addresses;
  const addresses = diffKeyed<"address">(
    {
      kind: "address",
      netns,
      keyOf: addressKey,
      isCompared: isComparedAddress,
      isOwned: (a: Address) =>
        isOnOwnedDev(a) && isAddressOwnedOn(scope, linksByName.get(a.dev), a.cidr),
      fieldChanges: () => [],
      conflictReason: (a: Address) =>
        onForeignLink(labelObject("address", a), `ip address del ${a.cidr} dev ${a.dev}`),
      isUpdateDisruptive: never,
      isDeleteDisruptive: never,
      deletes: true,
      goneWithLink: goneWithLink(observed.addresses),
    },
    desiredAddresses,
    base.addresses,
  );
  const deletedAddresses = addresses.changes.flatMap((change) =>
    change.kind === "address" && change.action === "delete" && change.before !== undefined
      ? [change.before]
      : [],
  );
  const disabled = devicesLeftWithoutAddress(base.addresses, desired.addresses, deletedAddresses);
  const onEnabledDev = (object: { readonly dev?: string }): boolean =>
    object.dev === undefined || !disabled.has(object.dev);
  const neighbours = diffKeyed<"neighbour">(
    {
      kind: "neighbour",
      netns,
      keyOf: neighbourKey,
      isCompared: isComparedNeighbour,
      isOwned: isOnOwnedDev,
      fieldChanges: neighbourFieldChanges,
      conflictReason: (n: Neighbour) =>
        onForeignLink(labelObject("neighbour", n), `ip neigh del ${n.dst} dev ${n.dev}`),
      isUpdateDisruptive: never,
      isDeleteDisruptive: never,
      deletes: true,
      goneWithLink: goneWithLink(observed.neighbours),
    },
    desired.neighbours,
    base.neighbours.filter(onEnabledDev),
  );
  const fdb = diffKeyed<"fdb">(
    {
      kind: "fdb",
      netns,
      keyOf: fdbKey,
      isCompared: () => true,
      isOwned: isOnOwnedDev,
      // A unicast MAC's destination moves in place (`bridge fdb replace`), never append + del.
      fieldChanges: fdbFieldChanges,
      conflictReason: (f: FdbEntry) =>
        onForeignLink(
          labelObject("fdb", f),
          `bridge fdb del ${f.mac} dev ${f.dev} dst ${f.dst} self`,
        ),
      isUpdateDisruptive: never,
      isDeleteDisruptive: never,
      deletes: true,
      goneWithLink: goneWithLink(observed.fdb),
    },
    desired.fdb,
    base.fdb,
  );
  const routes = diffKeyed<"route">(
    {
      kind: "route",
      netns,
      keyOf: routeKey,
      isCompared: isComparedRoute,
      isOwned: (route: Route) => isRouteOwned(scope, route),
      fieldChanges: routeFieldChanges,
      conflictReason: (route: Route) => routeConflictReason(scope, route),
      // `ip route replace` swaps the route atomically.
      isUpdateDisruptive: never,
      // A blackhole or unreachable route carries no traffic.
      isDeleteDisruptive: (route: Route) => route.type === "unicast",
      deletes: true,
      goneWithLink: goneWithLink(observed.routes),
    },
    desired.routes,
    withoutConnectedRoutes(base.routes.filter(onEnabledDev), deletedAddresses),
  );
  // A workload namespace is the topology's as a whole: nothing foreign to judge there.
  const foreign = {
    changes: [],
    conflicts: [
      ...findOwnedTwice(netns, base.routes, (route) => isRouteOwned(scope, route)),
      ...(netns === undefined
        ? clusterRangesOf(scope).flatMap((clusterCidr) =>
            findForeignConflicts({
              clusterCidr,
              desired,
              // Not contenders: they are withdrawn as their daemon stops in this plan.
              observed: {
                ...base,
                routes: base.routes.filter((r) => !input.leavesWithDaemon?.(r)),
              },
              rules: input.rules,
              learned: input.learned ?? [],
              isRouteOwned: (route) => isRouteOwned(scope, route),
              isAddressOwned: (address) =>
                isOnOwnedDev(address) &&
                isAddressOwnedOn(scope, linksByName.get(address.dev), address.cidr),
            }),
          )
        : []),
    ],
  };
  return { ...mergeResults([links, addresses, neighbours, fdb, routes, foreign]), vanished };
}
