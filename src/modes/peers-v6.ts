import type { Host, HostV6 } from "../topology/topology.js";

/**
 * The IPv6 side of each peer, in the peers' order: every peer of a dual-stack cluster has one
 * (the loader sees to it), an IPv4 cluster's none, so the list is empty there.
 */
export const peersV6 = (peers: readonly Host[]): HostV6[] =>
  peers.flatMap((peer) => (peer.v6 === undefined ? [] : [peer.v6]));
