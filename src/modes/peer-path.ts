import type { Host, HostV6 } from "../topology/topology.js";
import { isSameSegment } from "../topology/segments.js";
import { gatewayRoute, gatewayRoute6 } from "./routes.js";
import type { Route } from "../model/index.js";

/**
 * How a host reaches one peer's block: "direct" is the host-gw route over the underlay (the
 * peer must be one L2 hop away), "tunnel" goes through the mode's device.
 */
export type PeerPath = "direct" | "tunnel";

/**
 * vxlan's directRouting and ipip's crossSubnet: with `directOnSameSegment`, a peer on the
 * host's own underlay subnet is reached directly and only the others through the tunnel.
 */
export const choosePeerPath = (host: Host, peer: Host, directOnSameSegment: boolean): PeerPath =>
  directOnSameSegment && isSameSegment(host, peer) ? "direct" : "tunnel";

/** The host-gw route: `<peer block> via <peer underlay ip> dev <host underlay if>`. */
export const directRoute = (host: Host, peer: Host): Route =>
  gatewayRoute(peer.podCidr, peer.underlayIp, host.interface, false);

/**
 * directRouting for IPv6, judged on its own: a peer whose IPv6 underlay shares the host's IPv6
 * subnet is reached directly, whatever its IPv4 path.
 */
export const choosePeerPath6 = (
  host: HostV6,
  peer: HostV6,
  directOnSameSegment: boolean,
): PeerPath =>
  directOnSameSegment && host.underlaySubnet === peer.underlaySubnet ? "direct" : "tunnel";

/** The IPv6 host-gw route: `<peer block6> via <peer IPv6 underlay> dev <host underlay if>`. */
export const directRoute6 = (host: Host, peer: HostV6): Route =>
  gatewayRoute6(peer.podCidr, peer.underlayIp, host.interface, false);
