import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySteps, splitPlanPhases } from "../../src/applier/index.js";
import type { ObservedHost } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/index.js";
import { parseSnapshot } from "../../src/observe/index.js";
import { planTopology, type HostPlan } from "../../src/planner/index.js";
import { loadTopologyText } from "../../src/topology/index.js";
import { modes } from "../../src/modes/registry.js";

// c01, c07 and c10 of ../shared/cases/real-hosts, planned offline against the snapshot of the
// converged 2-host lab (node-2 at 192.0.2.32) that the case ships, recorded by
// `netplan-k observe` (test/fixtures/README.md): the plan and the exact lines the applier
// sends. The same cases run end to end in test/e2e/one-apply-cases.test.ts.

const SNAPSHOT_FILE = "test/fixtures/real-hosts/c01-converged-before-renumbering.json";
const converged = parseSnapshot(readFileSync(SNAPSHOT_FILE, "utf8"), SNAPSHOT_FILE);

const topologyText = (node2: string, blocks: [string, string]): string => `
apiVersion: netplan-k/v1
name: bh-vxlan-mac
cluster: { cidr: 10.31.0.0/16, mode: vxlan, attach: bridge }
hosts:
  - { name: node-1, address: 192.0.2.31/24, podCidr: ${blocks[0]}, namespaces: [{ name: red }] }
  - { name: node-2, address: ${node2}/24, podCidr: ${blocks[1]}, namespaces: [{ name: blue }] }
`;

function planNode1(text: string, observed: readonly ObservedHost[]): HostPlan {
  const loaded = loadTopologyText(text, "case.yaml", modes);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const plan = planTopology({
    desired: compileTopology(loaded.topology),
    observed,
    against: "snapshot",
  });
  const node1 = plan.hosts.find((host) => host.host === "node-1");
  if (node1 === undefined) throw new Error("no plan for node-1");
  return node1;
}

const summary = (plan: HostPlan): string[] =>
  plan.changes.map((c) => `${c.action} ${c.kind}${c.netns ? ` [${c.netns}]` : ""} ${c.key}`);

/** The lines of each phase's script, as the applier sends them. */
function scriptLines(plan: HostPlan): { build: string[]; removals: string[] } {
  const { build, removals } = splitPlanPhases(plan.changes);
  const lines = (changes: typeof build) =>
    applySteps(changes).flatMap((step) => step.lines.map((line) => line.text));
  return { build: lines(build), removals: lines(removals) };
}

describe("c01: a peer's underlay address changed", () => {
  const plan = planNode1(
    topologyText("192.0.2.42", ["10.31.1.0/24", "10.31.2.0/24"]),
    converged.hosts,
  );

  it("moves node-1's fdb entry for node-2 in place: no append, no delete", () => {
    expect(plan.conflicts).toEqual([]);
    expect(summary(plan)).toEqual([expect.stringMatching(/^update fdb flannel\.1\/[0-9a-f:]+$/)]);
    const { build, removals } = scriptLines(plan);
    expect(build).toEqual([
      expect.stringMatching(
        /^fdb replace [0-9a-f:]+ dev flannel\.1 dst 192\.0\.2\.42 self permanent$/,
      ),
    ]);
    expect(removals).toEqual([]);
  });
});

describe("c07: two hosts swap blocks", () => {
  const plan = planNode1(
    topologyText("192.0.2.32", ["10.31.2.0/24", "10.31.1.0/24"]),
    converged.hosts,
  );

  it("is no conflict: the old connected route goes with node-1's old address", () => {
    expect(plan.conflicts).toEqual([]);
    expect(summary(plan)).toContain("create route 254/10.31.1.0/24/0");
  });

  it("deletes the VTEP's old address, the new gateway to node-2, before writing the route", () => {
    const { build } = scriptLines(plan);
    const addressGone = build.indexOf("addr del 10.31.1.0/32 dev flannel.1");
    const route = build.indexOf(
      "route replace 10.31.1.0/24 via 10.31.1.0 dev flannel.1 onlink proto 77",
    );
    expect(addressGone).toBeGreaterThan(build.indexOf("addr add 10.31.2.0/32 dev flannel.1"));
    expect(route).toBeGreaterThan(addressGone);
  });
});

describe("c10: the workload's end renamed inside its namespace", () => {
  const renamed = converged.hosts.map((host): ObservedHost => {
    if (host.host !== "node-1") return host;
    const rename = <T extends { dev?: string; name?: string }>(object: T): T =>
      object.dev === "eth0"
        ? { ...object, dev: "eth1" }
        : object.name === "eth0"
          ? { ...object, name: "eth1" }
          : object;
    return {
      ...host,
      state: {
        ...host.state,
        namespaces: host.state.namespaces.map((ns) => ({
          ...ns,
          net: {
            ...ns.net,
            links: ns.net.links.map(rename),
            addresses: ns.net.addresses.map(rename),
            routes: ns.net.routes.map(rename),
          },
        })),
      },
    };
  });
  const plan = planNode1(topologyText("192.0.2.32", ["10.31.1.0/24", "10.31.2.0/24"]), renamed);

  it("recreates the pair, and deletes eth1 only if it did not go with it", () => {
    expect(plan.conflicts).toEqual([]);
    expect(summary(plan)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^replace link nk[0-9a-f]+$/),
        "delete link [red] eth1",
      ]),
    );
    const { removals } = scriptLines(plan);
    expect(removals).toEqual([
      "if ip -n red link show dev eth1 >/dev/null 2>&1; then ip -n red link del dev eth1; fi",
    ]);
  });
});
