import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { dualStackTopology, ipv6OnlyTopology } from "./dual-stack-topology.js";

// A dual-stack or IPv6-only cluster as the kernel holds it:
// test/fixtures/converged/<stack>-<mode>-<attach>/ is OBSERVATION_SCRIPT's output in each host
// of its topology after `netplan-k apply` on a lab here (scripts/record-dual-stack-fixtures.sh,
// STACK=ipv6-only for the IPv6-only ones; bgp's hold BIRD's learned routes, `proto bird`, and
// its configuration and sessions): link-local addresses, the kernel's IPv6 routes and
// neighbours, DAD flags and all. Planning against it must find nothing to do.

const topologies = { "dual-stack": dualStackTopology, "ipv6-only": ipv6OnlyTopology };
const variants = [
  ["vxlan", "bridge"],
  ["vxlan", "routed"],
  ["host-gw", "bridge"],
  ["host-gw", "routed"],
  ["bgp", "bridge"],
  ["bgp", "routed"],
] as const;

describe.each(
  (["dual-stack", "ipv6-only"] as const).flatMap((stack) =>
    variants.map(([mode, attach]) => [stack, mode, attach] as const),
  ),
)("%s %s, attach %s, against its converged fixture", (stack, mode, attach) => {
  const dir = `test/fixtures/converged/${stack}-${mode}-${attach}`;
  const observed = ["node-1", "node-2"].map((host) =>
    parseObservation(host, readFileSync(`${dir}/${host}.txt`, "utf8")),
  );

  it("reads the IPv6 objects netplan-k made, and none of the kernel's own", () => {
    const root = observed[0]?.state.root;
    const v6 = (text: string): boolean => text.includes(":");
    // Of the link-local addresses, only routed attach's gateway (src/planner/routed-gateway.ts).
    const linkLocal = root?.addresses.filter((a) => a.cidr.startsWith("fe80:")).map((a) => a.cidr);
    expect(linkLocal).toEqual(attach === "routed" ? ["fe80::ecee:eeff:feee:eeee/64"] : []);
    expect(root?.routes.filter((r) => v6(r.dst)).map((r) => r.dst)).toContain("fd00:10:6:2::/64");
    expect(root?.routes.some((r) => r.dst.startsWith("fe80:") || r.dst.startsWith("ff00:"))).toBe(
      false,
    );
    expect(root?.neighbours.some((n) => n.dst.startsWith("ff02:"))).toBe(false);
  });

  it("plans no change on any host", () => {
    const loaded = loadTopologyText(topologies[stack](mode, attach), "fx.yaml", modes);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join("\n"));
    const plan = planTopology({
      desired: compileTopology(loaded.topology),
      observed,
      against: "snapshot",
    });
    for (const host of plan.hosts) {
      expect(host.errors, host.host).toEqual([]);
      expect(host.conflicts, host.host).toEqual([]);
      expect(host.changes, host.host).toEqual([]);
    }
  });
});
