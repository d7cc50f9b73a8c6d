import { ownerAlias } from "../model/index.js";
import type { Host, Topology } from "../topology/topology.js";

/** Everything a mode or an attach style needs to compile one host. */
export interface HostContext {
  readonly topology: Topology;
  readonly host: Host;
  /** Every other host of the topology, in topology order. */
  readonly peers: readonly Host[];
  /**
   * The underlay MTU minus the mode's encapsulation overhead: the MTU of tunnel devices, of
   * cni0 and of both veth ends, so that a full-size workload packet still fits the underlay.
   */
  readonly overlayMtu: number;
  /**
   * The MTU of cni0 and of both veth ends: overlayMtu, or the IPv6 overlay's when smaller in a
   * dual-stack cluster (overlay-mtu.ts's workloadMtu).
   */
  readonly workloadMtu: number;
  /** The ownership alias every link of this topology carries. */
  readonly alias: string;
}

export const buildHostContext = (
  topology: Topology,
  host: Host,
  overlayMtu: number,
  workloadMtu: number = overlayMtu,
): HostContext => ({
  topology,
  host,
  peers: topology.hosts.filter((peer) => peer.name !== host.name),
  overlayMtu,
  workloadMtu,
  alias: ownerAlias(topology.name),
});
