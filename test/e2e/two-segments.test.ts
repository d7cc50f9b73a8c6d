import { describeConvergence } from "./convergence-scenario.js";
import { labHost, withWorkloads } from "./topologies.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";

// vxlan across two underlay segments joined by a lab router, without and with directRouting,
// each with both attach styles. Plain vxlan through nsenter, directRouting over ssh. The two
// scenarios of one kind share a lab (same hosts), built once.

const twoSegments = (
  attach: "bridge" | "routed",
  directRouting: boolean,
  prefix: string,
  sshd: boolean,
): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: `e2e-${directRouting ? "direct" : "vxlan2"}`,
  cluster: { cidr: "10.43.0.0/16", mode: "vxlan", attach, vxlan: { directRouting } },
  hosts: [
    labHost("a-1", "192.0.2.31/24", "web"),
    labHost("a-2", "192.0.2.32/24", "api"),
    labHost("b-1", "198.51.100.31/24", "db", "cache"),
  ],
  lab: { prefix, sshd, routers: [{ name: "r1", legs: ["192.0.2.1/24", "198.51.100.1/24"] }] },
});

const vxlanRouted = twoSegments("routed", false, "e2v2b", false);
const vxlanBridge = twoSegments("bridge", false, "e2v2b", false);
describeConvergence(
  {
    title: "vxlan across two segments with a router, attach routed (nsenter)",
    initial: vxlanRouted,
    change: "remove workload cache",
    changed: withWorkloads(vxlanRouted, "b-1", ["db"]),
  },
  {
    title: "vxlan across two segments with a router, attach bridge (nsenter)",
    initial: vxlanBridge,
    change: "add host b-2 behind the router",
    changed: {
      ...vxlanBridge,
      hosts: [...vxlanBridge.hosts, labHost("b-2", "198.51.100.32/24", "queue")],
    },
  },
);

const directBridge = twoSegments("bridge", true, "e2drb", true);
const directRouted = twoSegments("routed", true, "e2drb", true);
describeConvergence(
  {
    title: "vxlan + directRouting across two segments, attach bridge (ssh)",
    initial: directBridge,
    change: "vni 1 → 9",
    changed: {
      ...directBridge,
      cluster: { ...directBridge.cluster, vxlan: { directRouting: true, vni: 9 } },
    },
  },
  {
    title: "vxlan + directRouting across two segments, attach routed (ssh)",
    initial: directRouted,
    change: "directRouting off: every peer through the VTEP",
    changed: {
      ...directRouted,
      cluster: { ...directRouted.cluster, vxlan: { directRouting: false } },
    },
  },
);
