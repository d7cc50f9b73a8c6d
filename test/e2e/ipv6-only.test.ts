import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { parse } from "yaml";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { dualStackForeignSeed } from "./foreign-objects.js";
import { describeModeWalk, MATRIX_WALK, walkCluster, type WalkStep } from "./mode-walk.js";
import { expectEveryPairIpv6Only } from "./verify-both-families.js";

/**
 * Issue 9's IPv6-only clusters on ONE lab (v1o, three hosts on 2001:db8::/64, nsenter): the
 * hosts of examples/lab-ipv6-bgp.yaml walked live (test/e2e/mode-walk.ts) from vxlan bridge
 * through issue 9's matrix, all ten combinations of host-gw, vxlan, vxlan+directRouting, bgp
 * mesh and bgp with a reflector in both attach styles, ending on bgp reflector routed: the
 * example's own cluster, so the example converges here. After each: verify reaches every pair
 * in the IPv6 matrix (full-size probes included; no IPv4 matrix), BGP sessions are
 * Established, and the second plan is empty; red pings blue over IPv6 through every switch.
 * Foreign objects of both families are seeded on node-1 before the first apply and must read
 * the same after destroy.
 */

const example = parse(readFileSync("examples/lab-ipv6-bgp.yaml", "utf8")) as TopologyFile;

/** vxlan bridge first (from empty: no switch into it is asserted), then the matrix walk. */
const STEPS: readonly WalkStep[] = [
  { mode: "vxlan", attach: "bridge", lossless: false },
  ...MATRIX_WALK,
];

/** The example's hosts and cluster range with a step's layout, on this file's own lab. */
const topology = (step: WalkStep): TopologyFile => ({
  ...example,
  name: "e2e-ipv6-only",
  cluster: walkCluster(step, example.cluster.cidr),
  lab: { prefix: "v1o", sshd: false },
});

/** node-1 has no IPv4 underlay: the foreign IPv4 neighbour sits on eth0 all the same. */
const foreignBothFamilies = dualStackForeignSeed("node-1", "192.0.2.51");

describeModeWalk({
  title: "lab v1o: an IPv6-only cluster through host-gw, vxlan and bgp, both attach styles",
  steps: STEPS,
  topology,
  source: { host: "node-1", workload: "red" },
  // blue's address, allocated from its name (test/golden/lab-ipv6-bgp/validate.txt).
  targets: [{ family: "IPv6", address: "fd00:10:9:cf::5de9:c29b" }],
  verify: (scenario) => expectEveryPairIpv6Only(scenario, 6),
  foreign: {
    async seed(scenario) {
      const eth0 = await scenario.inHostOk("node-1", ["ip", "-o", "addr", "show", "dev", "eth0"]);
      expect(eth0).toContain("2001:db8::51/64");
      expect(eth0).not.toContain("inet ");
      await foreignBothFamilies.seed(scenario);
    },
    record: (scenario) => foreignBothFamilies.record(scenario),
  },
  ownedBeforeDestroy: "node-1 route fd00:10:9:2::/64 proto 77",
});
