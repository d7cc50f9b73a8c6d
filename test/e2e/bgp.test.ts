import { describeConvergence } from "./convergence-scenario.js";
import { labHost, withWorkloads } from "./topologies.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";

// Calico-style BGP with BIRD 2 in every lab host, over ssh: a full mesh and route reflectors,
// each with both attach styles. verify must list every session Established from both ends.
// The two scenarios of one attach style share a lab (same hosts), built once.

const bgp = (
  attach: "bridge" | "routed",
  reflectors: readonly string[],
  prefix: string,
): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: `e2e-bgp-${attach}`,
  cluster: { cidr: "10.44.0.0/16", mode: "bgp", attach, bgp: { reflectors: [...reflectors] } },
  hosts: [
    labHost("rr-1", "192.0.2.41/24", "red"),
    labHost("rr-2", "192.0.2.42/24"),
    labHost("node-1", "192.0.2.43/24", "blue"),
    labHost("node-2", "192.0.2.44/24", "green", "pink"),
  ],
  lab: { prefix, sshd: true },
});

const meshBridge = bgp("bridge", [], "e2bmb");
const reflectorsBridge = bgp("bridge", ["rr-1", "rr-2"], "e2bmb");
describeConvergence(
  {
    title: "bgp with route reflectors, attach bridge (ssh)",
    initial: reflectorsBridge,
    change: "rr-2 stops being a reflector",
    changed: {
      ...reflectorsBridge,
      cluster: { ...reflectorsBridge.cluster, bgp: { reflectors: ["rr-1"] } },
    },
  },
  {
    title: "bgp full mesh, attach bridge (ssh)",
    initial: meshBridge,
    change: "add host node-3 with a workload",
    changed: {
      ...meshBridge,
      hosts: [...meshBridge.hosts, labHost("node-3", "192.0.2.45/24", "white")],
    },
  },
);

const meshRouted = bgp("routed", [], "e2bmr");
const reflectorsRouted = bgp("routed", ["rr-1", "rr-2"], "e2bmr");
describeConvergence(
  {
    title: "bgp full mesh, attach routed (ssh)",
    initial: meshRouted,
    change: "remove workload pink",
    changed: withWorkloads(meshRouted, "node-2", ["green"]),
  },
  {
    title: "bgp with route reflectors, attach routed (ssh)",
    initial: reflectorsRouted,
    change: "add host node-3 with a workload",
    changed: {
      ...reflectorsRouted,
      hosts: [...reflectorsRouted.hosts, labHost("node-3", "192.0.2.45/24", "white")],
    },
  },
);
