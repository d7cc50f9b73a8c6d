import type { Topology } from "../topology/topology.js";
import { modes } from "./registry.js";

/** MTU of tunnel devices, cni0 and workload veths: the underlay MTU minus the mode's overhead. */
export const overlayMtu = (topology: Topology): number =>
  topology.cluster.mtu - modes[topology.cluster.mode].overhead;
