import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { HostState, Link } from "../../src/model/index.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { diffHost } from "../../src/planner/diff-host.js";
import { linksStackedOn } from "../../src/planner/stacked-links.js";
import { ALIAS, CLUSTER_CIDR, hostState, net, TOPOLOGY } from "./states.js";

// Deleting a link deletes the links stacked on it. Planned against test/fixtures/kernel/
// lower-device/observation.txt (scripts/record-lower-device-fixtures.sh): topology demo's
// flannel.1, cni0, red's veth nk0123456789a (a port of cni0), blue's veth nkblue and the
// macvlan mvown on it; not demo's: zvx3 on flannel.1, zvx4 on cni0, zvx5 on nk0123456789a,
// the macvlan mvx0 on nkblue, zvx7 on mvown, and another topology's zvx8 on flannel.1.
const observed = parseObservation(
  "node-1",
  readFileSync("test/fixtures/kernel/lower-device/observation.txt", "utf8"),
).state;

/** As observed, without what only an observation carries (a veth's index and other end). */
const asDesired = ({ ifindex: _ifindex, otherEnd: _otherEnd, lower: _lower, ...rest }: Link) =>
  rest;

/** What the topology wants: its own links but `without`, and the workloads `workloads`. */
function wanting(without: readonly string[], workloads: readonly string[]): HostState {
  return hostState({
    root: net({
      links: observed.root.links
        .filter((l) => l.alias === ALIAS && !without.includes(l.name))
        .map(asDesired),
    }),
    namespaces: observed.namespaces
      .filter((ns) => workloads.includes(ns.name))
      .map((ns) => ({ ...ns, net: net({ links: ns.net.links.map(asDesired) }) })),
  });
}

type HostPlan = ReturnType<typeof diffHost>;
const planFor = (desired: HostState): HostPlan =>
  diffHost({ topology: TOPOLOGY, clusterCidr: CLUSTER_CIDR, desired, observed });
const linkDeletes = (plan: HostPlan) =>
  plan.changes
    .filter((c) => c.kind === "link" && c.action !== "create" && c.action !== "update")
    .map((c) => `${c.netns ?? ""}${c.netns === undefined ? "" : "/"}${c.key}`)
    .sort();
const conflictOf = (plan: HostPlan, key: string) =>
  plan.conflicts.find((c) => c.key === key)?.reason;

describe("links stacked on a link netplan-k deletes", () => {
  it("the kernel deletes them with it, level by level (measured: after-delete.json)", () => {
    const names = (name: string) => linksStackedOn(observed.root.links, name).map((l) => l.name);
    expect(names("flannel.1")).toEqual(["zvx3", "zvx8"]);
    expect(names("cni0")).toEqual(["zvx4"]);
    expect(names("nkblue")).toEqual(["mvx0", "mvown", "zvx7"]);
    const after = JSON.parse(
      readFileSync("test/fixtures/kernel/lower-device/after-delete.json", "utf8"),
    ) as { ifname: string }[];
    expect(after.map((l) => l.ifname)).toEqual(["lo", "fab0", "eth0", "nk0123456789a", "zvx5"]);
  });

  it("the breaker's case: flannel.1's delete is held by the foreign zvx3 on it", () => {
    const plan = planFor(wanting(["flannel.1"], ["red", "blue"]));
    expect(linkDeletes(plan)).toEqual([]);
    expect(plan.conflicts.map((c) => c.reason)).toEqual([
      "zvx3, a vxlan that is not netplan-k's, sits on flannel.1; deleting flannel.1 would " +
        "delete zvx3 too. Delete zvx3 by hand (ip link del zvx3) or move it to another device",
      "zvx8, a vxlan that belongs to netplan-k topology other, sits on flannel.1; deleting " +
        "flannel.1 would delete zvx8 too. Delete zvx8 by hand (ip link del zvx8) or move it " +
        "to another device",
    ]);
  });

  it("a recreate deletes first: held the same way", () => {
    const desired = wanting([], ["red", "blue"]);
    const vtep = desired.root.links.find((l) => l.name === "flannel.1");
    if (vtep?.vxlan === undefined) throw new Error("no flannel.1 in the fixture");
    const renumbered = { ...vtep, vxlan: { ...vtep.vxlan, id: 2 } };
    const plan = planFor({
      ...desired,
      root: {
        ...desired.root,
        links: desired.root.links.map((l) => (l === vtep ? renumbered : l)),
      },
    });
    expect(plan.changes.filter((c) => c.key === "flannel.1")).toEqual([]);
    expect(conflictOf(plan, "zvx3")).toContain("recreating flannel.1 would delete zvx3 too");
  });

  it("a workload removed: its host veth and its namespace stay while a foreign link sits on it", () => {
    const plan = planFor(wanting(["nkblue", "mvown"], ["red"]));
    expect(linkDeletes(plan)).toEqual([]);
    expect(plan.changes.filter((c) => c.kind === "namespace")).toEqual([]);
    expect(plan.conflicts.map((c) => c.key)).toEqual(["mvx0", "zvx7"]);
    expect(conflictOf(plan, "mvx0")).toBe(
      "mvx0, a macvlan that is not netplan-k's, sits on nkblue; deleting nkblue would delete " +
        "mvx0 too. Delete mvx0 by hand (ip link del mvx0) or move it to another device",
    );
    // mvown is netplan-k's: it may go with nkblue. zvx7 on it may not.
    expect(conflictOf(plan, "zvx7")).toContain("sits on mvown, which is stacked on nkblue;");
  });

  it("a namespace delete takes its veths' host ends, and what sits on them", () => {
    // red goes but its host end stays wanted: the namespace delete alone would take it.
    const plan = planFor(wanting([], ["blue"]));
    expect(plan.changes.filter((c) => c.kind === "namespace")).toEqual([]);
    expect(plan.conflicts.map((c) => c.reason)).toEqual([
      "zvx5, a vxlan that is not netplan-k's, sits on nk0123456789a; deleting namespace red " +
        "(it holds the other end of nk0123456789a) would delete zvx5 too. Delete zvx5 by hand " +
        "(ip link del zvx5) or move it to another device",
    ]);
  });

  it("a veth deleted in a workload takes its host end, and what sits on it", () => {
    const desired = wanting([], ["red", "blue"]);
    const withoutEth0 = desired.namespaces.map((ns) =>
      ns.name === "red"
        ? { ...ns, net: { ...ns.net, links: ns.net.links.filter((l) => l.name !== "eth0") } }
        : ns,
    );
    const plan = planFor({ ...desired, namespaces: withoutEth0 });
    expect(linkDeletes(plan)).toEqual([]);
    expect(conflictOf(plan, "zvx5")).toContain(
      "deleting eth0 in red (the other end of nk0123456789a) would delete zvx5 too",
    );
  });

  it("destroy removes nothing a foreign link sits on, and no namespace holding its host end", () => {
    const plan = planFor(hostState());
    expect(linkDeletes(plan)).toEqual([]);
    expect(plan.changes.filter((c) => c.kind === "namespace")).toEqual([]);
    expect(plan.conflicts.map((c) => c.key)).toEqual([
      "mvx0",
      "zvx3",
      "zvx4",
      "zvx5",
      "zvx7",
      "zvx8",
    ]);
  });

  it("once the foreign links are deleted by hand, destroy deletes everything of demo", () => {
    const foreign = new Set(["zvx3", "zvx4", "zvx5", "mvx0", "zvx7", "zvx8"]);
    const cleared = {
      ...observed,
      root: { ...observed.root, links: observed.root.links.filter((l) => !foreign.has(l.name)) },
    };
    const plan = diffHost({
      topology: TOPOLOGY,
      clusterCidr: CLUSTER_CIDR,
      desired: hostState(),
      observed: cleared,
    });
    expect(plan.conflicts).toEqual([]);
    expect(linkDeletes(plan)).toEqual(["cni0", "flannel.1", "mvown", "nk0123456789a", "nkblue"]);
    expect(plan.changes.filter((c) => c.kind === "namespace").map((c) => c.key)).toEqual([
      "blue",
      "red",
    ]);
  });
});
