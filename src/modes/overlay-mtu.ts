import type { Topology } from "../topology/topology.js";
import type { Mode } from "./mode.js";
import { modes } from "./registry.js";

/**
 * MTU of tunnel devices, cni0 and workload veths: the underlay MTU minus the overhead of
 * `mode` (by default the topology's, from the registry).
 */
export const overlayMtu = (topology: Topology, mode: Mode = modes[topology.cluster.mode]): number =>
  topology.cluster.mtu - mode.overhead;

/**
 * The largest IPv6 packet a workload of a dual-stack cluster gets across hosts: the underlay
 * MTU minus the mode's IPv6 overhead (vxlan's IPv6 VTEP carries 20 bytes less than its IPv4
 * one; a larger packet gets a Packet Too Big from the host).
 */
export const overlayMtuV6 = (
  topology: Topology,
  mode: Mode = modes[topology.cluster.mode],
): number => topology.cluster.mtu - (mode.overheadV6 ?? mode.overhead);
