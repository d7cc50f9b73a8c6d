import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { HostState, ObservedHost, PathMtuException } from "../../src/model/index.js";
import { changeCommands } from "../../src/applier/change-commands.js";
import { judgeVerification } from "../../src/applier/verify-host.js";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { parseIpRouteCache } from "../../src/observe/parse-ip-route-cache.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { parseSnapshot, renderSnapshot } from "../../src/observe/snapshot.js";
import { parsePlan } from "../../src/planner/parse-plan.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { renderPlanJson } from "../../src/planner/render-json.js";
import type { HostPlan } from "../../src/planner/plan.js";
import { renderPlanText } from "../../src/planner/render-text.js";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { dualStackTopology } from "../modes/dual-stack-topology.js";

// Stale path-MTU exceptions (src/planner/stale-path-mtu.ts). Each case takes the converged
// dual-stack cluster of test/modes/dual-stack-converged.test.ts (its plan is empty; red's eth0
// is at 1430) and gives red, or node-1 itself, exceptions as the kernel lists them:
// test/fixtures/kernel/route-cache/stale.json (scripts/record-route-cache-fixtures.sh: red's
// addresses, a hop toward blue lowered to 1400 for one DF ping of each family, then put back).

const stale = parseIpRouteCache(readJsonFixture("kernel/route-cache/stale.json"));
const afterFlush = parseIpRouteCache(readJsonFixture("kernel/route-cache/after-flush.json"));

type Edit = (state: HostState) => HostState;

const inRed =
  (exceptions: readonly PathMtuException[]): Edit =>
  (state) => ({
    ...state,
    namespaces: state.namespaces.map((ns) =>
      ns.name === "red" ? { ...ns, net: { ...ns.net, pathMtuExceptions: exceptions } } : ns,
    ),
  });
const inRoot =
  (exceptions: readonly PathMtuException[]): Edit =>
  (state) => ({ ...state, root: { ...state.root, pathMtuExceptions: exceptions } });

function planCluster(mode: string, attach: string, ...edits: Edit[]) {
  const loaded = loadTopologyText(dualStackTopology(mode, attach), "fx.yaml", modes);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join("\n"));
  const dir = `test/fixtures/converged/dual-stack-${mode}-${attach}`;
  const observed: ObservedHost[] = ["node-1", "node-2"].map((host) => {
    const parsed = parseObservation(host, readFileSync(`${dir}/${host}.txt`, "utf8"));
    if (host !== "node-1") return parsed;
    return { ...parsed, state: edits.reduce((state, edit) => edit(state), parsed.state) };
  });
  return planTopology({ desired: compileTopology(loaded.topology), observed, against: "snapshot" });
}

const node1 = (plan: ReturnType<typeof planCluster>): HostPlan => {
  const found = plan.hosts.find((h) => h.host === "node-1");
  if (found === undefined) throw new Error("node-1 not planned");
  return found;
};

describe("a stale path-MTU exception in a workload", () => {
  it.each([
    ["vxlan", "bridge", 1430],
    ["vxlan", "routed", 1430],
    ["host-gw", "bridge", 1500],
    ["bgp", "routed", 1500],
  ])("%s %s: each family's is an update in red that flushes its cache", (mode, attach, mtu) => {
    const plan = node1(planCluster(mode, attach, inRed(stale)));
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes.map((c) => [c.kind, c.action, c.netns, c.key, c.reason])).toEqual([
      [
        "pathMtu",
        "update",
        "red",
        "10.6.2.2",
        `route cache to 10.6.2.2: mtu 1400 below eth0's ${mtu}: stale; flush`,
      ],
      [
        "pathMtu",
        "update",
        "red",
        "fd00:10:6:2::2",
        `route cache to fd00:10:6:2::2: mtu 1400 below eth0's ${mtu}: stale; flush`,
      ],
    ]);
    expect(plan.changes.flatMap(changeCommands)).toEqual([
      { executor: "ip", netns: "red", lines: ["route flush table all cache"] },
      { executor: "ip", netns: "red", lines: ["route flush table all cache"] },
    ]);
  });

  it("is shown in the text plan as a change of red", () => {
    const text = renderPlanText(planCluster("vxlan", "bridge", inRed(stale)), { color: false });
    expect(text).toContain(
      "  ~ [red] route cache to 10.6.2.2  (mtu 1400 below eth0's 1430: stale; flush)\n",
    );
    expect(text).toContain("Plan: 0 to add, 2 to change, 0 to destroy on 1 host.");
  });

  it("is no change once flushed: what IPv4 lists then has no MTU", () => {
    expect(node1(planCluster("vxlan", "bridge", inRed(afterFlush))).changes).toEqual([]);
  });

  it("is no change at or above the MTU red's eth0 is desired at", () => {
    const atMtu = stale.map((exception) => ({ ...exception, mtu: 1430 }));
    expect(node1(planCluster("vxlan", "bridge", inRed(atMtu))).changes).toEqual([]);
  });

  it("is left alone while node-1 itself holds an exception toward a peer's underlay address", () => {
    // A smaller hop past node-1 on the underlay: the kernel learns it for node-2's underlay
    // address (a gateway of node-1's desired routes and fdb entries) and re-learns it on the
    // next full-size packet, so flushing red would be undone on every run.
    const toPeer = stale.map((exception, index) => ({
      ...exception,
      dst: index === 0 ? "192.0.2.12" : "2001:db8::12",
      via: undefined,
      mtu: 1450,
    }));
    const plan = node1(planCluster("vxlan", "bridge", inRed(stale), inRoot(toPeer)));
    expect(plan.changes).toEqual([]);
  });

  it("is judged as usual when node-1's own exception is toward no peer of the topology", () => {
    const elsewhere = [{ ...stale[0]!, dst: "198.51.100.7", via: "192.0.2.1", mtu: 1400 }];
    const plan = node1(planCluster("vxlan", "bridge", inRed(stale), inRoot(elsewhere)));
    expect(plan.changes.map((c) => c.key)).toEqual(["10.6.2.2", "fd00:10:6:2::2"]);
  });

  it("is left out of the observed fingerprint, as traffic teaches and time forgets one", () => {
    const plain = planCluster("vxlan", "bridge");
    const learnt = planCluster("vxlan", "bridge", inRed(stale), inRoot(stale));
    expect(node1(learnt).observedFingerprint).toBe(node1(plain).observedFingerprint);
  });

  it("is no drift for apply's verification: a run's middle teaches one; the next plan flushes it", () => {
    const loaded = loadTopologyText(dualStackTopology("vxlan", "bridge"), "fx.yaml", modes);
    if (!loaded.ok) throw new Error("fixture topology refused");
    const desired = compileTopology(loaded.topology);
    const text = readFileSync("test/fixtures/converged/dual-stack-vxlan-bridge/node-1.txt", "utf8");
    const cache = readFileSync("test/fixtures/kernel/route-cache/stale.json", "utf8").trim();
    const stdout = text.replace(
      "@@netplan-k:end",
      `@@netplan-k:section:route-cache:red\n${cache}\n@@netplan-k:exit:0\n@@netplan-k:end`,
    );
    // The same observation plans the flush: the section is read.
    const observed = parseObservation("node-1", stdout);
    expect(
      observed.state.namespaces.find((ns) => ns.name === "red")?.net.pathMtuExceptions,
    ).toEqual(stale);
    const target = {
      topology: desired.topology,
      clusterCidr: desired.clusterCidr,
      ...(desired.clusterCidrV6 !== undefined && { clusterCidrV6: desired.clusterCidrV6 }),
      desired: desired.hosts.find((h) => h.host === "node-1")!.state,
    };
    expect(judgeVerification("node-1", { exitCode: 0, stdout, stderr: "" }, target)).toEqual([]);
  });

  it("survives a saved plan (plan --out, apply plan.json) and a snapshot (observe, plan --state)", () => {
    const plan = planCluster("vxlan", "bridge", inRed(stale));
    expect(parsePlan(renderPlanJson(plan), "plan.json").hosts).toEqual(plan.hosts);
    const observed = parseObservation(
      "node-1",
      readFileSync("test/fixtures/converged/dual-stack-vxlan-bridge/node-1.txt", "utf8"),
    );
    const snapshot = {
      formatVersion: 1 as const,
      topology: "fx-dual-stack",
      hosts: [{ ...observed, state: inRed(stale)(observed.state) }],
    };
    expect(parseSnapshot(renderSnapshot(snapshot), "state.json")).toEqual(snapshot);
  });
});

// node-1's own exceptions: test/fixtures/kernel/route-cache/host-stale.json
// (scripts/record-route-cache-fixtures.sh: two vxlan hosts laid out as this cluster's, node-2's
// cni0 lowered to 1380 for one DF ping of each family from node-1 to blue, then put back).
const hostStale = parseIpRouteCache(readJsonFixture("kernel/route-cache/host-stale.json"));

describe("a stale path-MTU exception in the host's own namespace", () => {
  const rootChanges = (...edits: Edit[]) =>
    node1(planCluster("vxlan", "bridge", ...edits)).changes.map((c) => [c.netns, c.key, c.reason]);

  it("through its VTEPs is an update of node-1 that flushes node-1's cache", () => {
    const plan = node1(planCluster("vxlan", "bridge", inRoot(hostStale)));
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes.map((c) => [c.kind, c.action, c.netns, c.key, c.reason])).toEqual([
      [
        "pathMtu",
        "update",
        undefined,
        "10.6.2.2",
        "route cache to 10.6.2.2: mtu 1380 below 1430, the smallest MTU of this host's devices " +
          "(flannel.1 is at 1450): stale; flush",
      ],
      [
        "pathMtu",
        "update",
        undefined,
        "fd00:10:6:2::2",
        "route cache to fd00:10:6:2::2: mtu 1380 below flannel-v6.1's 1430: stale; flush",
      ],
    ]);
    expect(plan.changes.flatMap(changeCommands)).toEqual([
      { executor: "ip", lines: ["route flush table all cache"] },
      { executor: "ip", lines: ["route flush table all cache"] },
    ]);
  });

  it("is shown in the text plan as a change of node-1 itself", () => {
    const text = renderPlanText(planCluster("vxlan", "bridge", inRoot(hostStale)), {
      color: false,
    });
    expect(text).toContain(
      "  ~ route cache to fd00:10:6:2::2  (mtu 1380 below flannel-v6.1's 1430: stale; flush)\n",
    );
    expect(text).toContain("Plan: 0 to add, 2 to change, 0 to destroy on 1 host.");
  });

  it("through cni0 or a workload's host-side veth is stale too", () => {
    const through = (dev: string) => [{ ...hostStale[1]!, via: undefined, dev, mtu: 1400 }];
    expect(rootChanges(inRoot(through("cni0")))).toEqual([
      [undefined, "fd00:10:6:2::2", expect.stringContaining("below cni0's 1430: stale")],
    ]);
    expect(rootChanges(inRoot(through("nkcf27d1e8caf")))).toEqual([
      [undefined, "fd00:10:6:2::2", expect.stringContaining("below nkcf27d1e8caf's 1430")],
    ]);
  });

  it("is left alone through the underlay interface or a device netplan-k does not own", () => {
    const through = (dev: string) => [{ ...hostStale[0]!, dst: "198.51.100.7", dev, mtu: 1300 }];
    expect(rootChanges(inRoot(through("eth0")))).toEqual([]);
    expect(rootChanges(inRoot(through("docker0")))).toEqual([]);
  });

  it("is left alone at what the path carries: flannel.1's 1450 meets a peer's cni0 at 1430", () => {
    // Measured (record-route-cache-fixtures.sh): node-1's 1450-byte IPv4 DF ping to blue is
    // refused by node-2's cni0 and teaches a real mtu 1430 through flannel.1.
    const real = hostStale.map((exception) => ({ ...exception, mtu: 1430 }));
    expect(rootChanges(inRoot(real))).toEqual([]);
  });

  it("is left alone while node-1 also holds an exception toward a peer's underlay address", () => {
    // A smaller hop on the underlay: the VTEPs pass it on to what they carry, so the
    // overlay exceptions may be real.
    const toPeer = {
      ...hostStale[1]!,
      dst: "2001:db8::12",
      via: undefined,
      dev: "eth0",
      mtu: 1450,
    };
    expect(rootChanges(inRoot([...hostStale, toPeer]))).toEqual([]);
  });

  it("is flushed with the workload's in one plan", () => {
    expect(
      rootChanges(inRed(stale), inRoot(hostStale)).map(([netns, key]) => [netns, key]),
    ).toEqual([
      [undefined, "10.6.2.2"],
      [undefined, "fd00:10:6:2::2"],
      ["red", "10.6.2.2"],
      ["red", "fd00:10:6:2::2"],
    ]);
  });
});
