import type { Topology } from "../topology/topology.js";
import type { Mode } from "./mode.js";
import { modes } from "./registry.js";

/**
 * MTU of tunnel devices, cni0 and workload veths: the underlay MTU minus the overhead of
 * `mode` (by default the topology's, from the registry).
 */
export const overlayMtu = (topology: Topology, mode: Mode = modes[topology.cluster.mode]): number =>
  topology.cluster.mtu - mode.overhead;
