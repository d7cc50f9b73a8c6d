import { describe, expect, it } from "vitest";
import { compileTopology } from "../../src/modes/compile.js";
import type { ObservedHost } from "../../src/model/index.js";
import { ObservationError } from "../../src/observe/observation-error.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { parseSnapshot } from "../../src/observe/snapshot.js";
import { isPlanApplicable, planHasChanges } from "../../src/planner/plan.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { formatSummary, summarizePlan } from "../../src/planner/summarize-plan.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { readFixture } from "../observe/fixtures.js";
import { modes } from "../../src/modes/registry.js";

// Cases c02, c03, c05 and c08 of shared/cases/real-hosts, planned offline against snapshots
// and an observation (test/fixtures/real-hosts/README.md says how each was made).

const topologyOf = (file: string): Topology => {
  const loaded = loadTopologyText(readFixture(`real-hosts/${file}`), file, modes);
  if (!loaded.ok) throw new Error(`${file} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.topology;
};

const snapshotHosts = (file: string): readonly ObservedHost[] =>
  parseSnapshot(readFixture(`real-hosts/${file}`), file).hosts;

const REALISTIC = "realistic-converged-snapshot.json";

const planAgainst = (topologyFile: string, observed: readonly ObservedHost[]) =>
  planTopology({
    desired: compileTopology(topologyOf(topologyFile)),
    observed,
    against: "snapshot",
  });

const errorsByHost = (plan: ReturnType<typeof planTopology>) =>
  Object.fromEntries(plan.hosts.map((host) => [host.host, host.errors]));

describe("preconditions on real hosts", () => {
  it("a converged host that looks like a real one is not refused (default route, DHCP-style address, docker0, daemon routes in table 100)", () => {
    const plan = planAgainst("c08-underlay-address-missing.yaml", snapshotHosts(REALISTIC));
    expect(errorsByHost(plan)).toEqual({ "node-1": [], "node-2": [] });
    expect(plan.hosts.flatMap((host) => host.conflicts)).toEqual([]);
    expect(planHasChanges(plan)).toBe(false);
  });

  it("c02: the topology names an underlay interface the host does not have", () => {
    const plan = planAgainst("c02-underlay-interface-missing.yaml", snapshotHosts(REALISTIC));
    expect(errorsByHost(plan)).toEqual({
      "node-1": [],
      "node-2": [
        "node-2: no underlay interface ens3 (it has eth0, docker0); the topology routes the cluster over ens3: set hosts[].interface (or defaults.interface) to eth0, which holds 192.0.2.32/24.",
      ],
    });
    expect(plan.hosts[1]?.changes).toEqual([]);
    expect(isPlanApplicable(plan)).toBe(false);
  });

  it("c03: cluster.mtu 9000 on hosts whose underlay carries 1500", () => {
    const plan = planAgainst("c03-mtu-above-underlay.yaml", snapshotHosts(REALISTIC));
    for (const host of ["node-1", "node-2"]) {
      expect(errorsByHost(plan)[host]).toEqual([
        `${host}: the underlay interface eth0 has MTU 1500, but the overlay needs 9000 (overlay MTU 8950 + 50 bytes of vxlan); the largest overlay MTU eth0 carries is 1450: set cluster.mtu to 1500 or less, or raise eth0's MTU to 9000.`,
      ]);
    }
    expect(plan.hosts.flatMap((host) => host.changes)).toEqual([]);
    expect(isPlanApplicable(plan)).toBe(false);
  });

  it("c05: a host with iproute2 4.15 gets one sentence naming the version found and the minimum", () => {
    const observe = () =>
      parseObservation("node-1", readFixture("real-hosts/c05-observation-iproute2-4.15.txt"));
    expect(observe).toThrow(ObservationError);
    expect(observe).toThrow(
      "node-1 has iproute2-ss180129 (ip -V), but netplan-k reads the JSON output of iproute2 5.0.0 (ss190301) or newer: upgrade iproute2 on node-1.",
    );
  });

  it("c08: a formatVersion 1 snapshot whose node-2 lost its underlay address is refused, not called converged", () => {
    const plan = planAgainst(
      "c08-underlay-address-missing.yaml",
      snapshotHosts("c08-state-underlay-address-gone.json"),
    );
    expect(errorsByHost(plan)).toEqual({
      "node-1": [],
      "node-2": [
        "node-2: the underlay interface eth0 holds no IPv4 address, but the topology gives it 192.0.2.32/24, the address every peer sends node-2's traffic to: give eth0 that address again, or change hosts[].address.",
      ],
    });
    expect(isPlanApplicable(plan)).toBe(false);
    expect(formatSummary(summarizePlan(plan))).not.toMatch(/No changes/);
  });
});
