import { describe, expect, it } from "vitest";
import type { ObservedHost } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { isPlanApplicable } from "../../src/planner/plan.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { observeConvergedTo } from "./converged-hosts.js";

/** Two vxlan hosts; node-1 runs `workloads`. */
function vxlan(workloads: readonly string[]) {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    "  cidr: 10.42.0.0/16",
    "  mode: vxlan",
    "hosts:",
    "  - name: node-1",
    "    address: 192.0.2.1/24",
    `    namespaces: [${workloads.map((name) => `{ name: ${name} }`).join(", ")}]`,
    "  - name: node-2",
    "    address: 192.0.2.2/24",
    "",
  ].join("\n");
  const result = loadTopologyText(text, "demo.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.topology;
}

/**
 * node-1 converged with red only, and an entry /run/netns/`stale` that is no namespace, as the
 * observation reports it (parse-observation.test.ts reads it from a recorded observation).
 */
function withStaleEntry(stale: string): ObservedHost[] {
  return observeConvergedTo(vxlan(["red"])).map((host) =>
    host.host === "node-1" ? { ...host, unmountedNamespaces: [stale] } : host,
  );
}

describe("a leftover /run/netns entry that is not a namespace", () => {
  it("refuses to create a workload of its name, naming the file and the fix", () => {
    const plan = planTopology({
      desired: compileTopology(vxlan(["red", "blue"])),
      observed: withStaleEntry("blue"),
      against: "snapshot",
    });
    expect(plan.hosts[0]?.conflicts).toEqual([
      {
        kind: "namespace",
        key: "blue",
        reason:
          '/run/netns/blue exists but is not a network namespace (a file left by an ip netns add that did not finish), so ip netns add blue would fail "File exists"; if nothing uses it, remove it (ip netns delete blue, or rm /run/netns/blue) and plan again',
      },
    ]);
    expect(isPlanApplicable(plan)).toBe(false);
  });

  it("is no conflict when no workload of the topology has its name", () => {
    const plan = planTopology({
      desired: compileTopology(vxlan(["red", "blue"])),
      observed: withStaleEntry("u1x"),
      against: "snapshot",
    });
    expect(plan.hosts.flatMap((host) => host.conflicts)).toEqual([]);
    expect(plan.hosts[0]?.changes.map((c) => `${c.action} ${c.kind} ${c.key}`)).toContain(
      "create namespace blue",
    );
  });
});
