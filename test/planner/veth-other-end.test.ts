import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { diffHost } from "../../src/planner/diff-host.js";
import { locateOtherEnd } from "../../src/planner/veth-other-end.js";
import { ALIAS, CLUSTER_CIDR, hostState, link, net, TOPOLOGY, VETH } from "./states.js";

// A stray veth in an owned workload: deleting it deletes its other end wherever that is.
// Planned against test/fixtures/kernel/veth-peer/observation.txt (scripts/
// record-veth-peer-fixtures.sh): red, owned by topology demo, holds netplan-k's eth0 and
// strays whose other ends are a foreign host link (eth1, eth2 made from inside red), an owned
// leftover host link (eth3), another topology's host link (eth4), a link of the workload blue
// (eth5), a link of the foreign namespace other (eth6), and a pair inside red (in0, in1).
const observed = parseObservation(
  "node-1",
  readFileSync("test/fixtures/kernel/veth-peer/observation.txt", "utf8"),
).state;

/** What the topology wants on node-1: red with its eth0, and blue, each with lo alone. */
const desired = hostState({
  root: net({
    links: [link(VETH, { peer: { netns: "red", name: "eth0" } })],
  }),
  namespaces: ["red", "blue"].map((name) => ({
    name,
    owner: TOPOLOGY,
    net: net({
      links: [
        { name: "lo", kind: "", mtu: 65536, up: true, alias: ALIAS },
        ...(name === "red" ? [{ name: "eth0", kind: "veth", mtu: 1450, up: true }] : []),
      ],
    }),
  })),
});

const plan = diffHost({ topology: TOPOLOGY, clusterCidr: CLUSTER_CIDR, desired, observed });
const linkDeletes = (netns?: string) =>
  plan.changes
    .filter((c) => c.kind === "link" && c.action === "delete" && c.netns === netns)
    .map((c) => c.key)
    .sort();
const conflictIn = (netns: string, key: string) =>
  plan.conflicts.find((c) => c.netns === netns && c.key === key)?.reason;

describe("a stray veth in an owned workload, by where its other end is", () => {
  it("reads where each end is from the host's ids and indexes", () => {
    const red = observed.namespaces.find((ns) => ns.name === "red");
    expect(red?.nsid).toBe(0);
    const place = (name: string) => {
      const veth = red?.net.links.find((l) => l.name === name);
      if (red === undefined || veth === undefined) throw new Error(`no ${name} in red`);
      const found = locateOtherEnd(veth, red, observed.root.links);
      return found.kind === "host" ? `host ${found.link.name}` : found.kind;
    };
    expect(["eth0", "eth1", "eth2", "eth3", "eth4", "eth5", "eth6", "in0"].map(place)).toEqual([
      `host ${VETH}`,
      "host vfx0",
      "host vfx2",
      "host nkleft",
      "host vot0",
      "elsewhere",
      "elsewhere",
      "workload",
    ]);
  });

  it("the breaker's case: a foreign host link at the other end is a conflict, not a delete", () => {
    expect(conflictIn("red", "eth1")).toBe(
      "red holds eth1, a veth whose other end vfx0 is in the host namespace and is not " +
        "netplan-k's; deleting eth1 would delete vfx0 too. Delete it by hand " +
        "(ip -n red link del eth1) or move it out",
    );
    expect(conflictIn("red", "eth2")).toContain("whose other end vfx2 is in the host namespace");
    expect(conflictIn("red", "eth4")).toContain(
      "whose other end vot0 is in the host namespace and belongs to netplan-k topology other",
    );
  });

  it("an end in a namespace netplan-k cannot name is a conflict too", () => {
    expect(conflictIn("red", "eth5")).toBe(
      "red holds eth5, a veth whose other end is in another namespace (nsid 1 in red), which " +
        "netplan-k cannot name; deleting eth5 would delete that end too. Delete it by hand " +
        "(ip -n red link del eth5) or move it out",
    );
    expect(conflictIn("red", "eth6")).toContain("(nsid 2 in red)");
    // blue's end of eth5 is judged the same way from blue.
    expect(conflictIn("blue", "eth9")).toContain("blue holds eth9, a veth whose other end is");
  });

  it("both ends inside, or the other end this topology's: the delete is planned as before", () => {
    expect(linkDeletes("red")).toEqual(["eth3", "in0", "in1"]);
    expect(linkDeletes()).toContain("nkleft");
    expect(linkDeletes("blue")).toEqual([]);
    expect(plan.conflicts.filter((c) => c.netns === "red").map((c) => c.key)).toEqual([
      "eth1",
      "eth2",
      "eth4",
      "eth5",
      "eth6",
    ]);
  });

  it("namespaces nobody wants are not deleted while a veth in them would take a foreign end", () => {
    // Measured: ip netns del of a namespace holding eth1 deletes its other end vfx0 elsewhere.
    const planned = diffHost({
      topology: TOPOLOGY,
      clusterCidr: CLUSTER_CIDR,
      desired: { ...desired, namespaces: [] },
      observed,
    });
    expect(planned.changes.filter((c) => c.kind === "namespace")).toEqual([]);
    expect(planned.conflicts.find((c) => c.netns === "red" && c.key === "eth1")?.reason).toBe(
      "red holds eth1, a veth whose other end vfx0 is in the host namespace and is not " +
        "netplan-k's; deleting namespace red would delete vfx0 too. Delete it by hand " +
        "(ip -n red link del eth1) or move it out",
    );
    expect(planned.conflicts.map((c) => `${c.netns ?? ""}/${c.key}`).sort()).toEqual([
      "blue/eth9",
      "red/eth1",
      "red/eth2",
      "red/eth4",
      "red/eth5",
      "red/eth6",
    ]);
  });
});
