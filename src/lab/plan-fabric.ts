import type { FabricAction, FabricPlan, FabricStep } from "./fabric-plan.js";
import {
  addressKey,
  linkKey,
  routeKey,
  sysctlKey,
  type FabricAddress,
  type FabricLink,
  type FabricRoute,
  type FabricState,
} from "./fabric-state.js";

/**
 * Diffs the lab's desired fabric against the observed one; pure.
 *
 * What the lab owns, and so may change or remove: the namespaces carrying its marker; in a
 * sealed namespace (the fabric) every link; elsewhere only the links it wants, the addresses on
 * its attachment interfaces (veths with a peer) and the routes through them that it could have
 * made (observed routes are already only main-table, boot-protocol gateway routes). Whatever
 * netplan-k or a workload adds inside a lab host is never touched.
 *
 * A veth is kept when both ends exist as veths under their names; otherwise what is left of it
 * is removed and the pair made again, and then its addresses and routes come back with it.
 * Routes on an interface whose addresses change are replaced too: removing an address can take
 * routes through its subnet with it.
 */
export function planFabric(desired: FabricState, observed: FabricState): FabricPlan {
  const observedNamespaces = new Map(observed.namespaces.map((ns) => [ns.name, ns]));
  const refusals = desired.namespaces
    .filter((ns) => observedNamespaces.get(ns.name)?.owned === false)
    .map((ns) => ns.name);
  const wanted = new Set(desired.namespaces.map((ns) => ns.name));
  const removals = observed.namespaces
    .filter((ns) => ns.owned && !wanted.has(ns.name))
    .map((ns) => ns.name);
  if (refusals.length > 0) return { refusals, steps: [], removals: [] };

  const observedLinks = new Map(observed.links.map((link) => [linkKey(link), link]));
  const peerKeys = new Set(
    desired.links.flatMap((link) => (link.peer === undefined ? [] : [linkKey(link.peer)])),
  );
  const desiredLinks = new Map(desired.links.map((link) => [linkKey(link), link]));

  const stepOf = (namespace: string, sealed: boolean): FabricStep => {
    const actions: FabricAction[] = [];
    if (!observedNamespaces.has(namespace)) actions.push({ kind: "add-namespace", namespace });
    if (sealed) {
      for (const link of observed.links) {
        if (link.namespace === namespace && link.name !== "lo" && !desiredLinks.has(linkKey(link)))
          actions.push({ kind: "delete-link", namespace, name: link.name });
      }
    }
    // The ends of veths made or remade in this step: their addresses and routes are gone.
    const fresh = new Set<string>();
    for (const link of desired.links) {
      if (link.namespace !== namespace || peerKeys.has(linkKey(link))) continue;
      const ends = link.peer === undefined ? [link] : [link, peerOf(link.peer)];
      const present = ends.map((end) => observedLinks.get(linkKey(end)));
      const intact = ends.every(
        (end, i) => present[i] !== undefined && end.kind === present[i].kind,
      );
      if (!intact) {
        for (const [i, end] of ends.entries()) {
          if (present[i] !== undefined)
            actions.push({ kind: "delete-link", namespace: end.namespace, name: end.name });
        }
        // lo comes with every namespace: it is only ever set.
        if (link.name !== "lo") actions.push({ kind: "add-link", link });
        fresh.add(linkKey(link));
      }
      for (const [i, end] of ends.entries()) {
        const before = present[i];
        if (!intact || before === undefined || !linkMatches(end, before))
          actions.push({ kind: "set-link", link: end });
      }
    }
    actions.push(...planAddressesAndRoutes(namespace, desired, observed, fresh));
    const observedSysctls = new Map(observed.sysctls.map((s) => [sysctlKey(s), s.value]));
    for (const sysctl of desired.sysctls) {
      if (sysctl.namespace === namespace && observedSysctls.get(sysctlKey(sysctl)) !== sysctl.value)
        actions.push({ kind: "set-sysctl", sysctl });
    }
    return { namespace, actions };
  };

  return {
    refusals,
    steps: desired.namespaces.map((ns) => stepOf(ns.name, ns.sealed === true)),
    removals,
  };

  /** The desired link at the other end of a veth; desiredFabric always lists both ends. */
  function peerOf(peer: NonNullable<FabricLink["peer"]>): FabricLink {
    const link = desiredLinks.get(linkKey(peer));
    if (link === undefined) throw new RangeError(`desired fabric lacks veth end ${linkKey(peer)}`);
    return link;
  }
}

/** True when every field the desired link manages has its value. */
function linkMatches(desired: FabricLink, observed: FabricLink): boolean {
  return (
    desired.up === observed.up &&
    (desired.master === undefined || desired.master === observed.master) &&
    (desired.mtu === undefined || desired.mtu === observed.mtu) &&
    (desired.alias === undefined || desired.alias === observed.alias)
  );
}

/** Addresses and routes of the namespace's attachment interfaces (its veths with a peer). */
function planAddressesAndRoutes(
  namespace: string,
  desired: FabricState,
  observed: FabricState,
  fresh: ReadonlySet<string>,
): FabricAction[] {
  const attachments = new Set(
    desired.links
      .filter((link) => link.namespace === namespace && link.peer !== undefined)
      .map((link) => link.name),
  );
  const isFresh = (dev: string): boolean => fresh.has(linkKey({ namespace, name: dev }));
  const ours = <T extends { readonly namespace: string; readonly dev: string }>(
    items: readonly T[],
  ): T[] => items.filter((item) => item.namespace === namespace && attachments.has(item.dev));

  const desiredAddresses = ours(desired.addresses);
  const observedAddresses = ours(observed.addresses).filter((a) => !isFresh(a.dev));
  const wantedAddresses = new Set(desiredAddresses.map(addressKey));
  const presentAddresses = new Set(observedAddresses.map(addressKey));
  const addressDeletes = observedAddresses.filter((a) => !wantedAddresses.has(addressKey(a)));
  const addressAdds = desiredAddresses.filter((a) => !presentAddresses.has(addressKey(a)));
  const renumbered = new Set([...addressDeletes, ...addressAdds].map((a) => a.dev));

  const desiredRoutes = ours(desired.routes);
  const observedRoutes = new Map(
    ours(observed.routes)
      .filter((route) => !isFresh(route.dev))
      .map((route) => [routeKey(route), route]),
  );
  const wantedRoutes = new Set(desiredRoutes.map(routeKey));
  const routeDeletes = [...observedRoutes.values()].filter((r) => !wantedRoutes.has(routeKey(r)));
  const routeReplaces = desiredRoutes.filter(
    (route) =>
      renumbered.has(route.dev) || !routeMatches(route, observedRoutes.get(routeKey(route))),
  );
  return [
    ...addressDeletes.map((address: FabricAddress) => ({
      kind: "delete-address" as const,
      address,
    })),
    ...addressAdds.map((address: FabricAddress) => ({ kind: "add-address" as const, address })),
    ...routeDeletes.map((route: FabricRoute) => ({ kind: "delete-route" as const, route })),
    ...routeReplaces.map((route: FabricRoute) => ({ kind: "replace-route" as const, route })),
  ];
}

const routeMatches = (desired: FabricRoute, observed: FabricRoute | undefined): boolean =>
  observed !== undefined && observed.via === desired.via && observed.dev === desired.dev;
