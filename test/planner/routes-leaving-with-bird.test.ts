import { describe, expect, it } from "vitest";
import type { ObservedHost } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { observeConvergedTo } from "./converged-hosts.js";

/** Three dual-stack hosts on one segment, in `mode` (bgp: a mesh). */
function dualStack(mode: string): Topology {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    "  cidr: [10.42.0.0/16, fd00:10:42::/56]",
    `  mode: ${mode}`,
    "hosts:",
    ...[1, 2, 3].flatMap((n) => [
      `  - name: h${n}`,
      `    address: [198.51.100.${10 + n}/24, 2001:db8::${10 + n}/64]`,
    ]),
    "",
  ].join("\n");
  const result = loadTopologyText(text, "demo.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.topology;
}

/** A cluster converged to bgp, with the routes BIRD installed (its learned ones) in each kernel. */
function convergedToBgp(foreignBird: boolean): ObservedHost[] {
  const bgp = dualStack("bgp");
  const compiled = compileTopology(bgp).hosts;
  return observeConvergedTo(bgp).map((host) => {
    const learned = compiled.find((h) => h.host === host.host)?.learned ?? [];
    const files = foreignBird
      ? host.state.files.map((f) => ({ ...f, content: "# written by hand\n" }))
      : host.state.files;
    return {
      ...host,
      state: {
        ...host.state,
        files,
        root: { ...host.state.root, routes: [...host.state.root.routes, ...learned] },
      },
    };
  });
}

const planVxlanOver = (observed: ObservedHost[]) =>
  planTopology({ desired: compileTopology(dualStack("vxlan")), observed, against: "snapshot" });

describe("routes of netplan-k's own BIRD, stopped by the plan", () => {
  // Breaker trial: a dual-stack bgp → vxlan switch was refused, BIRD's IPv6 routes (metric 32)
  // taking the blocks from vxlan's (the kernel's IPv6 default metric 1024).
  it("are no conflict in a switch from bgp to vxlan: BIRD withdraws them as it stops", () => {
    const plan = planVxlanOver(convergedToBgp(false));
    expect(plan.hosts.flatMap((h) => h.conflicts.map((c) => c.reason))).toEqual([]);
    expect(plan.hosts[0]?.changes.map((c) => `${c.action} ${c.kind} ${c.key}`)).toContain(
      "delete service bird",
    );
  });

  it("are judged as before when the BIRD running is not netplan-k's", () => {
    const plan = planVxlanOver(convergedToBgp(true));
    const reasons = plan.hosts.flatMap((h) => h.conflicts.map((c) => c.reason));
    expect(
      reasons.some((r) => /^route fd00:10:42:.* proto bird .*is not netplan-k's/.test(r)),
    ).toBe(true);
  });
});
