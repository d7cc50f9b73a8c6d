import type { Address, Link, Neighbour, Route } from "../model/index.js";
import {
  addressKey,
  KERNEL_PROTOCOL,
  linkKey,
  MAIN_TABLE,
  neighbourKey,
  routeKey,
} from "../model/index.js";

/**
 * What the kernel adds by itself never shows as a change (nmstate's "kernel might append
 * additional routes"). Each predicate says whether an observed object takes part in the diff;
 * an object whose key the desired state names always does.
 */

const LOOPBACK = "lo";

/** Connected routes (proto kernel), the local table and other tables are the kernel's or others'. */
export const isComparedRoute = (route: Route, desiredKeys: ReadonlySet<string>): boolean =>
  desiredKeys.has(routeKey(route)) ||
  (route.table === MAIN_TABLE && route.protocol !== KERNEL_PROTOCOL);

/** Dynamic ARP entries come and go with traffic; the tool only ever writes permanent ones. */
export const isComparedNeighbour = (
  neighbour: Neighbour,
  desiredKeys: ReadonlySet<string>,
): boolean => desiredKeys.has(neighbourKey(neighbour)) || neighbour.permanent;

/**
 * lo's 127.0.0.1/8 appears when lo comes up, in every namespace; an IPv6 link-local address
 * (the only one observed is routed attach's gateway, routed-gateway.ts) whenever a device
 * comes up with IPv6.
 */
export const isComparedAddress = (address: Address, desiredKeys: ReadonlySet<string>): boolean =>
  desiredKeys.has(addressKey(address)) ||
  (address.dev !== LOOPBACK && !address.cidr.toLowerCase().startsWith("fe80:"));

/**
 * Devices a tunnel module creates by itself in every network namespace as soon as it loads
 * (name → kind). The kernel refuses to delete them: `ip link del dev tunl0` exits 0 and the
 * device stays. They are never a foreign administrator's.
 */
const KERNEL_FALLBACK_DEVICES: Readonly<Record<string, string>> = {
  tunl0: "ipip",
  gre0: "gre",
  gretap0: "gretap",
  erspan0: "erspan",
  sit0: "sit",
  ip6tnl0: "ip6tnl",
  ip6gre0: "ip6gre",
  ip_vti0: "vti",
  ip6_vti0: "vti6",
};

export const isKernelFallbackDevice = (link: Link): boolean =>
  KERNEL_FALLBACK_DEVICES[link.name] === link.kind;

/**
 * lo exists in every namespace and cannot be deleted; neither can a tunnel module's fallback
 * device, which appears in workload namespaces too once the module is loaded.
 */
export const isComparedLink = (
  link: Link,
  desiredKeys: ReadonlySet<string>,
  inWorkloadNamespace: boolean,
): boolean =>
  desiredKeys.has(linkKey(link)) ||
  (link.name !== LOOPBACK && !(inWorkloadNamespace && isKernelFallbackDevice(link)));
