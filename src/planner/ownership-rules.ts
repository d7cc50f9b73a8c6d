import type { FoundState, Link, Route, RouteProtocolId } from "../model/index.js";
import {
  adoptedAlias,
  ownerOfAlias,
  ownerOfFile,
  ROUTE_PROTOCOL,
  ROUTE_PROTOCOL_NUMBERS,
} from "../model/index.js";
import { Address6 } from "ip-address";
import { isIpv4PrefixInside, parseIpv4Prefix } from "../model/ipv4-number.js";
import { IPIP_DEVICE } from "../modes/naming.js";
import { isKernelFallbackDevice } from "./normalisations.js";

/**
 * Which observed objects a diff may touch (DESIGN.md, "Ownership"). A scope is one network
 * namespace: the host's own (`netns` undefined) or a workload namespace the topology owns,
 * where everything inside is the topology's. Foreign workload namespaces are never diffed.
 */
export interface Scope {
  readonly topology: string;
  /** The cluster's IPv4 range, or its IPv6 range in an IPv6-only cluster (DesiredState's). */
  readonly clusterCidr: string;
  /** The IPv6 range of a dual-stack cluster. */
  readonly clusterCidrV6?: string;
  readonly netns?: string;
}

/** Whether a route's destination lies inside the cluster CIDR (the topology's share of proto 77). */
export function isInClusterCidr(dst: string, clusterCidr: string): boolean {
  const prefix = parseIpv4Prefix(dst);
  const cluster = parseIpv4Prefix(clusterCidr);
  return prefix !== undefined && cluster !== undefined && isIpv4PrefixInside(prefix, cluster);
}

/**
 * isInClusterCidr for a range of either family: whether `dst` lies inside `range`, false when
 * their families differ.
 */
export function isInClusterRange(dst: string, range: string): boolean {
  if (!range.includes(":")) return isInClusterCidr(dst, range);
  if (!dst.includes(":") || !Address6.isValid(dst)) return false;
  return new Address6(dst).isInSubnet(new Address6(range));
}

/**
 * isInClusterCidr for either family: a prefix inside the cluster's range of its family (an
 * IPv4 cluster has no IPv6 range, an IPv6-only one no IPv4 range: then no prefix of that
 * family is the topology's).
 */
export function isInClusterRanges(
  dst: string,
  scope: Pick<Scope, "clusterCidr" | "clusterCidrV6">,
): boolean {
  return clusterRangesOf(scope).some((range) => isInClusterRange(dst, range));
}

/** Whether the cluster has an IPv6 range (dual-stack or IPv6-only). */
export const hasIpv6Range = (scope: Pick<Scope, "clusterCidr" | "clusterCidrV6">): boolean =>
  clusterRangesOf(scope).some((range) => range.includes(":"));

/** The cluster's ranges, one per family it has: its IPv4 CIDR, then its IPv6 one. */
export const clusterRangesOf = (scope: Pick<Scope, "clusterCidr" | "clusterCidrV6">): string[] =>
  scope.clusterCidrV6 === undefined
    ? [scope.clusterCidr]
    : [scope.clusterCidr, scope.clusterCidrV6];

/** The alias names this topology (an adopted device's alias also records how it was found). */
export const isLinkOwned = (scope: Scope, link: Link): boolean =>
  scope.netns !== undefined || ownerOfAlias(link.alias) === scope.topology;

/**
 * Several topologies share ROUTE_PROTOCOL on one host; their cluster CIDRs cannot overlap, so
 * the destination tells whose route it is.
 */
export const isRouteOwned = (scope: Scope, route: Route): boolean =>
  scope.netns !== undefined ||
  (route.protocol === ROUTE_PROTOCOL && isInClusterRanges(route.dst, scope));

export const isFileOwned = (topology: string, content: string): boolean =>
  ownerOfFile(content) === topology;

/**
 * tunl0 is created by the ipip module itself as soon as it loads, without an alias: it is the
 * kernel's, not a foreign administrator's, so the tool adopts it (sets its alias) instead of
 * reporting a conflict.
 */
export const isAdoptableTunnel = (desired: Link, observed: Link): boolean =>
  desired.name === IPIP_DEVICE &&
  desired.kind === "ipip" &&
  observed.kind === "ipip" &&
  (observed.alias === undefined || observed.alias === "");

/**
 * How the ipip module leaves tunl0 when it creates it (on load, or on `ip link add name tunl0
 * type ipip`): down, with the Ethernet MTU minus the IPv4 header. A tunl0 netplan-k brings
 * into being was "found" so: destroy hands it back down rather than leaving a live tunnel.
 */
const FALLBACK_TUNNEL_AS_CREATED: FoundState = { up: false, mtu: 1480 };

/**
 * The link netplan-k wants for a shared device it adopts or has adopted (tunl0): the desired
 * settings, with an alias that records how the device was found (adoptedAlias) when adopting
 * or creating it, and keeps the record already there afterwards.
 */
export function withAdoptionRecord(scope: Scope, desired: Link, observed: Link | undefined): Link {
  if (observed === undefined) {
    return isKernelFallbackDevice(desired) && scope.netns === undefined
      ? { ...desired, alias: adoptedAlias(scope.topology, FALLBACK_TUNNEL_AS_CREATED) }
      : desired;
  }
  if (!isKernelFallbackDevice(observed)) return desired;
  if (isLinkOwned(scope, observed)) return { ...desired, alias: observed.alias ?? "" };
  if (!isAdoptableTunnel(desired, observed)) return desired;
  return { ...desired, alias: adoptedAlias(scope.topology, observed) };
}

/**
 * Addresses on a device netplan-k owns are its own, except on a shared device it adopted
 * (tunl0, which may carry a load balancer's VIP): there only addresses inside the cluster CIDR
 * are; the rest are another's, never touched.
 */
export const isAddressOwnedOn = (scope: Scope, device: Link | undefined, cidr: string): boolean =>
  device === undefined || !isKernelFallbackDevice(device) || isInClusterRanges(cidr, scope);

/** "belongs to netplan-k topology other" or "is not netplan-k's", for conflict reasons. */
export function foreignOwnerPhrase(owner: string | undefined): string {
  return owner === undefined ? "is not netplan-k's" : `belongs to netplan-k topology ${owner}`;
}

export const aliasOwnerPhrase = (alias: string | undefined): string =>
  foreignOwnerPhrase(ownerOfAlias(alias));

/** A protocol as `ip` prints it: "static", "bird", the number, or the host's own name. */
export function routeProtocolName(protocol: RouteProtocolId): string {
  if (typeof protocol === "string") return protocol;
  const entry = Object.entries(ROUTE_PROTOCOL_NUMBERS).find(([, number]) => number === protocol);
  return entry?.[0] ?? String(protocol);
}
