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
const overlayMtuV6 = (topology: Topology, mode: Mode = modes[topology.cluster.mode]): number =>
  topology.cluster.mtu - (mode.overheadV6 ?? mode.overhead);

/**
 * MTU of cni0 and of both ends of a workload's veth: the overlay MTU, and in a dual-stack
 * cluster the smaller of the two families' (vxlan: mtu − 70, the IPv6 VTEP's), so that a
 * full-size packet of either family crosses. flannel hands its workloads mtu − 50 whatever the
 * family (its network MTU is the external interface's minus a fixed 50), and a full-size
 * IPv6 packet then gets a Packet Too Big from the host: measured here, a 1450-byte IPv6 ping
 * with don't-fragment from a workload failed (the sender's route cache learnt mtu 1430), and
 * a path that drops ICMPv6 would black-hole it. Calico sizes workloads by the smallest path.
 */
export const workloadMtu = (
  topology: Topology,
  mode: Mode = modes[topology.cluster.mode],
): number =>
  topology.cluster.v6 === undefined
    ? overlayMtu(topology, mode)
    : Math.min(overlayMtu(topology, mode), overlayMtuV6(topology, mode));
