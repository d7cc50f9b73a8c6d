import { describeConvergence } from "./convergence-scenario.js";
import { labHost, withWorkloads } from "./topologies.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";

// host-gw and vxlan with every host on one underlay segment, each with both attach styles.
// host-gw through nsenter, vxlan over the lab's real sshd. The two scenarios of one mode share
// a lab (same hosts), built once.

const hostGw = (attach: "bridge" | "routed", prefix: string): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "e2e-hostgw",
  cluster: { cidr: "10.41.0.0/16", mode: "host-gw", attach },
  hosts: [
    labHost("node-1", "192.0.2.11/24", "red", "pink"),
    labHost("node-2", "192.0.2.12/24", "blue"),
    labHost("node-3", "192.0.2.13/24", "green"),
  ],
  lab: { prefix, sshd: false },
});

const vxlan = (attach: "bridge" | "routed", prefix: string): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "e2e-vxlan",
  cluster: { cidr: "10.42.0.0/16", mode: "vxlan", attach, vxlan: { vni: 1 } },
  hosts: [
    labHost("node-1", "192.0.2.21/24", "red"),
    labHost("node-2", "192.0.2.22/24", "blue"),
    labHost("node-3", "192.0.2.23/24", "green"),
  ],
  lab: { prefix, sshd: true },
});

const hostGwRouted = hostGw("routed", "e2hgb");
const hostGwBridge = hostGw("bridge", "e2hgb");
describeConvergence(
  {
    title: "host-gw, attach routed (nsenter)",
    initial: hostGwRouted,
    change: "remove workload pink",
    changed: withWorkloads(hostGwRouted, "node-1", ["red"]),
  },
  {
    title: "host-gw, attach bridge (nsenter)",
    initial: hostGwBridge,
    change: "add host node-4 with a workload",
    changed: {
      ...hostGwBridge,
      hosts: [...hostGwBridge.hosts, labHost("node-4", "192.0.2.14/24", "white")],
    },
  },
);

const vxlanBridge = vxlan("bridge", "e2vxb");
const vxlanRouted = vxlan("routed", "e2vxb");
describeConvergence(
  {
    title: "vxlan on one segment, attach bridge (ssh)",
    initial: vxlanBridge,
    change: "vni 1 → 7",
    changed: { ...vxlanBridge, cluster: { ...vxlanBridge.cluster, vxlan: { vni: 7 } } },
  },
  {
    title: "vxlan on one segment, attach routed (ssh)",
    initial: vxlanRouted,
    change: "switch vxlan → host-gw",
    changed: {
      ...vxlanRouted,
      cluster: { cidr: "10.42.0.0/16", mode: "host-gw", attach: "routed" },
    },
  },
);
