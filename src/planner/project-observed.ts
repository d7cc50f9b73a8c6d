import { Address4 } from "ip-address";
import type { Address, Link, NetState, Route, Sysctl } from "../model/index.js";
import { emptyNetState, KERNEL_PROTOCOL, MAIN_TABLE } from "../model/index.js";

/**
 * What a namespace will hold once its link changes have run, so that the other kinds are
 * diffed against that and not against what is about to disappear. The kernel removes a
 * link's addresses, routes, neighbours and fdb entries with the link (so a deleted link's
 * objects are not deleted separately, and a recreated link's desired objects are created
 * again), releases the ports of a deleted bridge, removes the connected route of a deleted
 * address, and sets a sysctl of a new device back to its default.
 */

/** A freshly added namespace holds lo, down, with the kernel's MTU and no alias. */
export const freshNamespaceNet = (): NetState => ({
  ...emptyNetState(),
  links: [{ name: "lo", kind: "", mtu: 65536, up: false }],
});

/**
 * The namespace end of a veth pair created (or recreated) in this plan: the pair is created
 * with one MTU for both ends, both down; the rest of the peer's settings are an update of
 * the link in its namespace.
 */
export const freshVethPeer = (hostEnd: Link, peerName: string): Link => ({
  name: peerName,
  kind: "veth",
  mtu: hostEnd.mtu,
  up: false,
});

/** A port of a vanished bridge is released: it has no master any more. */
export function releasePort(link: Link, vanished: ReadonlySet<string>): Link {
  if (link.master === undefined || !vanished.has(link.master)) return link;
  const { master: _released, ...rest } = link;
  return rest;
}

/**
 * `vanished`: links deleted or recreated in this namespace (a new veth's peer counts: its
 * old incarnation, if any, is gone). `fresh`: links that appear without a create of their own.
 */
export function projectNet(
  observed: NetState,
  vanished: ReadonlySet<string>,
  fresh: readonly Link[],
): NetState {
  const onKept = (object: { readonly dev?: string }): boolean =>
    object.dev === undefined || !vanished.has(object.dev);
  return {
    links: [
      ...observed.links
        .filter((link) => !vanished.has(link.name))
        .map((link) => releasePort(link, vanished)),
      ...fresh,
    ],
    addresses: observed.addresses.filter(onKept),
    routes: observed.routes.filter(onKept),
    neighbours: observed.neighbours.filter(onKept),
    fdb: observed.fdb.filter(onKept),
  };
}

/**
 * The route the kernel adds for an address with a prefix shorter than /32 (`proto kernel
 * scope link`, main table, the address's network on its device) and removes with it
 * (fib_del_ifaddr). Deleting `10.244.1.1/24 dev cni0` removes `10.244.1.0/24 dev cni0 proto
 * kernel`; a route netplan-k writes with that key (another protocol) is kept, so when two
 * hosts swap blocks the new route to the peer replaces the old connected one before the
 * address goes.
 */
function isConnectedRouteOf(route: Route, address: Address): boolean {
  if (route.protocol !== KERNEL_PROTOCOL || route.table !== MAIN_TABLE) return false;
  if (route.dev !== address.dev || !Address4.isValid(address.cidr)) return false;
  const prefix = new Address4(address.cidr);
  return prefix.subnetMask < 32 && route.dst === prefix.networkForm();
}

/** Routes without the connected routes of the addresses a plan deletes. */
export const withoutConnectedRoutes = (
  routes: readonly Route[],
  deleted: readonly Address[],
): Route[] =>
  routes.filter((route) => !deleted.some((address) => isConnectedRouteOf(route, address)));

/**
 * Devices left without any IPv4 address by the plan's address deletes (none desired on them).
 * The kernel disables IP on a device when its last address goes (fib_disable_ip): every route
 * through it and every neighbour on it, permanent ones too, go with that address. A stray
 * address on a routed veth, say, takes the workload's host route with it.
 */
export function devicesLeftWithoutAddress(
  observed: readonly Address[],
  desired: readonly Address[],
  deleted: readonly Address[],
): Set<string> {
  // fib_disable_ip counts IPv4 addresses only: a device's IPv6 ones (its link-local, which
  // the observation reads on routed veths) keep nothing of its IPv4 routes alive.
  const ipv4 = (address: Address): boolean => !address.cidr.includes(":");
  const gone = new Set(deleted.map((address) => `${address.dev}/${address.cidr}`));
  const kept = new Set([
    ...desired.filter(ipv4).map((address) => address.dev),
    ...observed
      .filter((address) => ipv4(address) && !gone.has(`${address.dev}/${address.cidr}`))
      .map((address) => address.dev),
  ]);
  return new Set(
    deleted
      .filter(ipv4)
      .map((address) => address.dev)
      .filter((dev) => !kept.has(dev)),
  );
}

/** Per-interface sysctls ("net.ipv4.conf.<dev>.proxy_arp") of vanished links start over. */
export const projectSysctls = (
  observed: readonly Sysctl[],
  vanished: ReadonlySet<string>,
): readonly Sysctl[] =>
  observed.filter(
    // Interface names may hold dots (flannel.1), so match each vanished name as a prefix.
    (sysctl) => ![...vanished].some((dev) => sysctl.key.startsWith(`net.ipv4.conf.${dev}.`)),
  );
