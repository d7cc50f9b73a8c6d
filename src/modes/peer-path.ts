import type { Host, HostFamily } from "../topology/topology.js";
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
 * Judged per family, on the two hosts' sides of one family: a dual-stack peer may be direct
 * in IPv6 and tunnelled in IPv4.
 */
export const choosePeerPath = (
  host: HostFamily,
  peer: HostFamily,
  directOnSameSegment: boolean,
): PeerPath => (directOnSameSegment && isSameSegment(host, peer) ? "direct" : "tunnel");

/** The host-gw route: `<peer block> via <peer underlay ip> dev <host underlay if>`. */
export const directRoute = (host: Host, peer: HostFamily): Route =>
  gatewayRoute(peer.podCidr, peer.underlayIp, host.interface, false);

/** The IPv6 host-gw route: `<peer block6> via <peer IPv6 underlay> dev <host underlay if>`. */
export const directRoute6 = (host: Host, peer: HostFamily): Route =>
  gatewayRoute6(peer.podCidr, peer.underlayIp, host.interface, false);
