/**
 * The lab's fabric as data: the same shape for what the lab wants (desiredFabric) and for what
 * the machine holds (parseFabricObservation), so that planFabric can diff the two.
 *
 * Every object names the network namespace it lives in. The lab's underlay is IPv4, and in a
 * dual-stack lab IPv6 as well (addresses, routes and forwarding of both families).
 */
export interface FabricState {
  readonly namespaces: readonly FabricNamespace[];
  readonly links: readonly FabricLink[];
  readonly addresses: readonly FabricAddress[];
  readonly routes: readonly FabricRoute[];
  readonly sysctls: readonly FabricSysctl[];
}

/** A network namespace named after the lab's prefix. */
export interface FabricNamespace {
  readonly name: string;
  /** Its lo carries the lab's marker (labMarker): the lab made it. Always true when desired. */
  readonly owned: boolean;
  /**
   * Desired only: nothing but the lab's objects lives here (the fabric), so a link the lab does
   * not want is removed. In other namespaces netplan-k itself and workloads add links.
   */
  readonly sealed?: boolean;
}

/**
 * A network interface. `kind` is iproute2's `info_kind` ("bridge", "veth", "tun"), absent for
 * lo. Fields left undefined in the desired state are not managed (a bridge's MTU follows its
 * ports).
 */
export interface FabricLink {
  readonly namespace: string;
  readonly name: string;
  readonly kind?: string;
  /** The bridge it is a port of. */
  readonly master?: string;
  readonly mtu?: number;
  /** Administratively up (the UP flag, not the carrier). */
  readonly up: boolean;
  /** The interface alias; on lo, the lab's marker (labMarker) says the lab made the namespace. */
  readonly alias?: string;
  /**
   * Desired veths only: the other end, created together with this one. Observed veths carry no
   * peer: the kernel names it by netns id and ifindex, and a veth whose end is gone is gone too.
   */
  readonly peer?: { readonly namespace: string; readonly name: string };
}

/** An address on an interface, "192.0.2.11/24" (or a dual-stack host's IPv6 underlay one). */
export interface FabricAddress {
  readonly namespace: string;
  readonly dev: string;
  readonly cidr: string;
}

/** A main-table route through a gateway: how a node reaches the other segments. */
export interface FabricRoute {
  readonly namespace: string;
  readonly dst: string;
  readonly via: string;
  readonly dev: string;
}

/** A sysctl of the namespace's network stack ("net.ipv4.ip_forward" = "1"). */
export interface FabricSysctl {
  readonly namespace: string;
  readonly key: string;
  readonly value: string;
}

/** Identities: two objects with one key cannot coexist in the kernel. */
export const linkKey = (link: { readonly namespace: string; readonly name: string }): string =>
  `${link.namespace}/${link.name}`;
export const addressKey = (address: FabricAddress): string =>
  `${address.namespace}/${address.dev}/${address.cidr}`;
export const routeKey = (route: { readonly namespace: string; readonly dst: string }): string =>
  `${route.namespace}/${route.dst}`;
export const sysctlKey = (sysctl: FabricSysctl): string => `${sysctl.namespace}/${sysctl.key}`;

/** The sysctl that makes a router forward between its legs. */
export const IP_FORWARD = "net.ipv4.ip_forward";

/** The same for IPv6, on a router with IPv6 legs (0 in a new namespace). */
export const IPV6_FORWARD = "net.ipv6.conf.all.forwarding";

/** A fabric with nothing in it: what `lab down` wants. */
export const EMPTY_FABRIC: FabricState = {
  namespaces: [],
  links: [],
  addresses: [],
  routes: [],
  sysctls: [],
};
