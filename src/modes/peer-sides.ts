import type { Host, HostFamily } from "../topology/topology.js";

/** An address family by its key on Host and Cluster. */
export type FamilyKey = "v4" | "v6";

/**
 * Each peer's side of one family, in the peers' order: every peer has one of each family the
 * cluster has (the loader sees to it), so the list is empty for a family the cluster lacks.
 */
export const peerSides = (peers: readonly Host[], family: FamilyKey): HostFamily[] =>
  peers.flatMap((peer) => {
    const side = peer[family];
    return side === undefined ? [] : [side];
  });
