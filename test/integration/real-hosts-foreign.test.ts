import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileTopology } from "../../src/modes/compile.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { parseSnapshot } from "../../src/observe/snapshot.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import type { HostPlan } from "../../src/planner/plan.js";
import { loadTopologyFile } from "../../src/topology/load-topology.js";

// Cases c06 and c09 of ../shared/cases/real-hosts (copied unedited to test/fixtures/real-hosts):
// foreign objects judged by what they do to packets, from recorded observations and snapshots.
const FIXTURES = "test/fixtures/real-hosts";

async function desiredOf(file: string) {
  const loaded = await loadTopologyFile(`${FIXTURES}/${file}`);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return compileTopology(loaded.topology);
}

const hostPlan = (plan: { hosts: readonly HostPlan[] }, host: string): HostPlan => {
  const found = plan.hosts.find((candidate) => candidate.host === host);
  if (found === undefined) throw new Error(`no plan for ${host}`);
  return found;
};

describe("c06: foreign routes whose protocol or table iproute2 prints as a name", () => {
  const text = readFileSync(`${FIXTURES}/c06-observation-named-table.txt`, "utf8");

  it("the observation parses, the names kept as printed", () => {
    const observed = parseObservation("node-1", text);
    expect(observed.state.root.routes).toContainEqual(
      expect.objectContaining({ dst: "198.51.100.0/24", table: "vpn", protocol: "nhrp" }),
    );
  });

  it("the host is planned: converged, no conflict, the foreign route untouched", async () => {
    const desired = await desiredOf("c09-foreign-bridge-holds-block.yaml");
    const plan = planTopology({
      desired,
      observed: [parseObservation("node-1", text)],
      against: "snapshot",
    });
    const node1 = hostPlan(plan, "node-1");
    expect(node1.errors).toEqual([]);
    expect(node1.conflicts).toEqual([]);
    expect(node1.changes).toEqual([]);
  });
});

describe("c09: a foreign bridge holds the block, a foreign route covers part of a peer's", () => {
  const snapshot = parseSnapshot(
    readFileSync(`${FIXTURES}/c09-state-foreign-block-overlap.json`, "utf8"),
    "c09-state-foreign-block-overlap.json",
  );

  it("node-1 gets one conflict per foreign object, naming what it takes; node-2 is clean", async () => {
    const desired = await desiredOf("c09-foreign-bridge-holds-block.yaml");
    const plan = planTopology({ desired, observed: snapshot.hosts, against: "snapshot" });
    const node1 = hostPlan(plan, "node-1");
    expect(node1.errors).toEqual([]);
    expect(node1.conflicts.map((conflict) => conflict.reason)).toEqual([
      "address 10.31.1.1/24 on docker0 is not netplan-k's and takes 10.31.1.0/24 " +
        "(address 10.31.1.1/24 on cni0): packets for it would stay on docker0; " +
        "remove it (ip address del 10.31.1.1/24 dev docker0) or change the topology",
      "route 10.31.2.128/25 via 192.0.2.99 dev eth0 proto static is not netplan-k's and would " +
        "win over route 10.31.2.0/24 via 10.31.2.0 dev flannel.1 onlink for 10.31.2.0/24; " +
        "remove it (ip route del 10.31.2.128/25 table 254) or change the topology",
    ]);
    const node2 = hostPlan(plan, "node-2");
    expect([node2.errors, node2.conflicts, node2.changes]).toEqual([[], [], []]);
  });
});
