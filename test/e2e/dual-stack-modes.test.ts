import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { dualStackForeignSeed } from "./foreign-objects.js";
import { describeModeWalk, MATRIX_WALK, walkCluster, type WalkStep } from "./mode-walk.js";
import { expectEveryPairBothFamilies } from "./verify-both-families.js";

/**
 * Issue 9's matrix on one lab (v3): a dual-stack cluster walked live through host-gw, vxlan
 * (with and without directRouting) and bgp (reflector and mesh), each in both attach styles
 * somewhere along the walk (the other bgp rows from empty are test/e2e/ipv6-bgp.test.ts's),
 * every step a mode, attach or reflector switch of the last (test/e2e/mode-walk.ts). While
 * each apply runs, red pings blue in each family every 10 ms: a switch IPv4 crosses without
 * loss must lose no IPv6 packet either.
 *
 * One segment: lab routers carry IPv4 only, so directRouting finds every peer on the host's
 * segment in both families and routes it directly, with the VTEPs up beside (what the
 * lossless migrations of the mode chain go through); the per-pair VTEP counters of
 * directRouting across segments are test/migration/direct-routing.test.ts's, IPv4 only.
 */

const topology = (step: WalkStep): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "e2e-ds-modes",
  cluster: walkCluster(step, ["10.48.0.0/16", "fd00:10:48::/56"]),
  hosts: [
    {
      name: "node-1",
      address: ["192.0.2.41/24", "2001:db8::41/64"],
      podCidr: ["10.48.1.0/24", "fd00:10:48:1::/64"],
      namespaces: [{ name: "red", ip: ["10.48.1.2", "fd00:10:48:1::2"] }],
    },
    {
      name: "node-2",
      address: ["192.0.2.42/24", "2001:db8::42/64"],
      podCidr: ["10.48.2.0/24", "fd00:10:48:2::/64"],
      namespaces: [{ name: "blue", ip: ["10.48.2.2", "fd00:10:48:2::2"] }],
    },
    {
      name: "node-3",
      address: ["192.0.2.43/24", "2001:db8::43/64"],
      podCidr: ["10.48.3.0/24", "fd00:10:48:3::/64"],
      namespaces: [{ name: "green", ip: ["10.48.3.2", "fd00:10:48:3::2"] }],
    },
  ],
  lab: { prefix: "v3", sshd: false },
});

describeModeWalk({
  title: "lab v3: dual-stack through host-gw, vxlan and bgp, both attach styles, one lab",
  steps: MATRIX_WALK,
  topology,
  source: { host: "node-1", workload: "red" },
  targets: [
    { family: "IPv4", address: "10.48.2.2" },
    { family: "IPv6", address: "fd00:10:48:2::2" },
  ],
  verify: (scenario) => expectEveryPairBothFamilies(scenario, 6),
  foreign: dualStackForeignSeed("node-1", "192.0.2.41"),
  ownedBeforeDestroy: "node-1 route fd00:10:48:1::/64 proto 77",
});
