import type { Link, NamespaceState, NetState } from "../model/index.js";
import type { Workload } from "../topology/topology.js";
import type { HostContext } from "./host-context.js";
import { hostVethName, WORKLOAD_INTERFACE } from "./naming.js";

/**
 * What every workload has whatever the attach style (kernel-layout.md, "Every workload"):
 * its namespace with lo and eth0, and the host end of the veth pair.
 */

/** The kernel's loopback MTU. */
const LOOPBACK_MTU = 65536;

/** The objects of a workload's namespace that depend on the attach style. */
export type WorkloadNet = Pick<NetState, "addresses" | "routes" | "neighbours">;

/**
 * The namespace `W`: lo up and carrying the ownership alias (that is how an observed
 * namespace is recognised as owned), eth0 without alias (the namespace already is owned).
 */
export const workloadNamespace = (
  { topology, workloadMtu, alias }: HostContext,
  workload: Workload,
  net: WorkloadNet,
): NamespaceState => ({
  name: workload.name,
  owner: topology.name,
  net: {
    links: [
      { name: "lo", kind: "", mtu: LOOPBACK_MTU, up: true, alias },
      { name: WORKLOAD_INTERFACE, kind: "veth", mtu: workloadMtu, up: true },
    ],
    addresses: net.addresses,
    routes: net.routes,
    neighbours: net.neighbours,
    fdb: [],
  },
});

/** The host end of the workload's veth pair; the attach style adds master or mac. */
export const hostVethLink = (
  { topology, workloadMtu, alias }: HostContext,
  workload: Workload,
  attachment: Pick<Link, "master"> | Pick<Link, "mac">,
): Link => ({
  name: hostVethName(topology.name, workload.name),
  kind: "veth",
  mtu: workloadMtu,
  up: true,
  alias,
  ...attachment,
  peer: { netns: workload.name, name: WORKLOAD_INTERFACE },
});
