import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileTopology } from "../../src/modes/compile.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { renderPlanText } from "../../src/planner/render-text.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

// Objects on a link the plan deletes or recreates: the plan says what the host holds, not
// "(missing)". Planned against test/fixtures/converged/vxlan/ (examples/vxlan.yaml built by
// hand and recorded from namespaces, see test/fixtures/README.md), with the example changed.
const dir = "test/fixtures/converged/vxlan";
const observed = readdirSync(dir)
  .filter((f) => f.endsWith(".txt"))
  .map((f) => parseObservation(f.replace(/\.txt$/, ""), readFileSync(join(dir, f), "utf8")));
const example = readFileSync("examples/vxlan.yaml", "utf8");

function planNode1(text: string): string {
  const loaded = loadTopologyText(text, "changed.yaml", modes);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const plan = planTopology({
    desired: compileTopology(loaded.topology),
    observed,
    against: "snapshot",
  });
  return renderPlanText(
    { ...plan, hosts: plan.hosts.filter((h) => h.host === "node-1") },
    { color: false },
  );
}

describe("objects on a link that goes", () => {
  it("vxlan → host-gw: a peer's route moves from flannel.1 to eth0 as a change in place", () => {
    const text = planNode1(example.replace("mode: vxlan", "mode: host-gw"));
    expect(text).toContain(
      "~ route 10.1.16.0/24  (via 10.1.16.0 → 192.168.64.6, dev flannel.1 → eth0, onlink true → false)",
    );
    expect(text).toContain(
      "~ route 10.1.17.0/24  (via 10.1.17.0 → 192.168.64.7, dev flannel.1 → eth0, onlink true → false)",
    );
    expect(text).not.toContain("(missing)");
    expect(text).toContain("- link flannel.1");
  });

  it("a recreated VTEP: what it holds is created again, and the plan says it is there now", () => {
    const text = planNode1(example.replace("port: 8472", "port: 4789"));
    expect(text).toContain("± link flannel.1");
    for (const object of [
      "+ address 10.1.15.0/32 dev flannel.1",
      "+ route 10.1.16.0/24 via 10.1.16.0 dev flannel.1 onlink",
      "+ fdb ",
      "+ neigh 10.1.16.0 ",
    ]) {
      const line = text.split("\n").find((l) => l.includes(object));
      expect(line, object).toMatch(/\(present on flannel\.1, which this plan recreates\)$/);
    }
    expect(text).not.toContain("(missing)");
  });
});
