import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { changeCommands } from "../../src/applier/change-commands.js";
import { emptyHostState, type ObservedHost } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { parseSnapshot } from "../../src/observe/snapshot.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import type { HostPlan } from "../../src/planner/plan.js";
import { loadTopologyFile } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

// Cases c04, c06 and c09 of ../shared/cases/real-hosts (copied unedited to test/fixtures/real-hosts):
// foreign objects judged by what they do to packets, from recorded observations and snapshots.
const FIXTURES = "test/fixtures/real-hosts";

async function desiredOf(file: string) {
  const loaded = await loadTopologyFile(`${FIXTURES}/${file}`, modes);
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
      "route 10.31.2.128/25 via 192.0.2.99 dev eth0 proto static is not netplan-k's and takes " +
        "10.31.2.128/25 of 10.31.2.0/24 (route 10.31.2.0/24 via 10.31.2.0 dev flannel.1 onlink); " +
        "remove it (ip route del 10.31.2.128/25 table 254) or change the topology",
    ]);
    const node2 = hostPlan(plan, "node-2");
    expect([node2.errors, node2.conflicts, node2.changes]).toEqual([[], [], []]);
  });
});

describe("c04: tunl0 already carries a load balancer's VIP", () => {
  const snapshotOf = (file: string) =>
    parseSnapshot(readFileSync(`${FIXTURES}/${file}`, "utf8"), file).hosts;
  const VIP = "tunl0/203.0.113.80/32";
  const touchesVip = (plan: HostPlan): boolean => plan.changes.some((c) => c.key === VIP);

  it("the first apply adopts tunl0, records how it was found, and leaves the VIP", async () => {
    const desired = await desiredOf("c04-shared-tunl0-foreign-address.yaml");
    const plan = planTopology({
      desired,
      observed: snapshotOf("c04-state-before-first-apply.json"),
      against: "snapshot",
    });
    const node1 = hostPlan(plan, "node-1");
    expect([node1.errors, node1.conflicts]).toEqual([[], []]);
    expect(touchesVip(node1)).toBe(false);
    const tunl0 = node1.changes.find((c) => c.kind === "link" && c.key === "tunl0");
    expect(tunl0?.reason).toBe("link tunl0: alias (none) → netplan-k:bh-ipip-vip:was-up-mtu-1480");
  });

  it("the converged hosts plan no change: the VIP is not deleted", async () => {
    const desired = await desiredOf("c04-shared-tunl0-foreign-address.yaml");
    const plan = planTopology({
      desired,
      observed: snapshotOf("c04-state-converged.json"),
      against: "snapshot",
    });
    for (const host of plan.hosts) {
      expect([host.errors, host.conflicts, host.changes], host.host).toEqual([[], [], []]);
    }
  });

  it("destroy removes only netplan-k's address and hands tunl0 back as recorded", async () => {
    const compiled = await desiredOf("c04-shared-tunl0-foreign-address.yaml");
    const empty = {
      ...compiled,
      hosts: compiled.hosts.map(({ host }) => ({ host, state: emptyHostState() })),
    };
    // node-1 as the first apply leaves it: tunl0's alias carries the record of how it was found.
    const converged = snapshotOf("c04-state-converged.json").map((observed): ObservedHost => ({
      ...observed,
      state: {
        ...observed.state,
        root: {
          ...observed.state.root,
          links: observed.state.root.links.map((link) =>
            link.name === "tunl0"
              ? { ...link, alias: "netplan-k:bh-ipip-vip:was-up-mtu-1480" }
              : link,
          ),
        },
      },
    }));
    const plan = planTopology({ desired: empty, observed: converged, against: "snapshot" });
    const node1 = hostPlan(plan, "node-1");
    expect(node1.conflicts).toEqual([]);
    expect(touchesVip(node1)).toBe(false);
    expect(node1.changes.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual(
      expect.arrayContaining(["delete address tunl0/10.36.1.0/32", "delete link tunl0"]),
    );
    const release = node1.changes.find((c) => c.kind === "link" && c.key === "tunl0");
    if (release === undefined) throw new Error("tunl0 is not released");
    expect(changeCommands(release)).toEqual([
      { executor: "ip", lines: ['link set dev tunl0 alias "" mtu 1480 up'] },
    ]);
  });
});
