import type { Address, Link, Neighbour, Route } from "../model/index.js";
import { addressKey, linkKey, neighbourKey, routeKey } from "../model/index.js";

/**
 * What the kernel adds by itself never shows as a change (nmstate's "kernel might append
 * additional routes"). Each predicate says whether an observed object takes part in the diff;
 * an object whose key the desired state names always does.
 */

const MAIN_TABLE = 254;
const KERNEL_PROTOCOL = 2;
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

/** lo's 127.0.0.1/8 appears when lo comes up, in every namespace. */
export const isComparedAddress = (address: Address, desiredKeys: ReadonlySet<string>): boolean =>
  desiredKeys.has(addressKey(address)) || address.dev !== LOOPBACK;

/** lo exists in every namespace and cannot be deleted. */
export const isComparedLink = (link: Link, desiredKeys: ReadonlySet<string>): boolean =>
  desiredKeys.has(linkKey(link)) || link.name !== LOOPBACK;
