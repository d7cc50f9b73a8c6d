import { describe, expect, it } from "vitest";
import { markPlanChanges } from "../../src/graph/index.js";
import type { HostState } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { loadExample } from "./example-graph.js";
import { observeConvergedTo } from "../planner/converged-hosts.js";
import { route } from "../planner/states.js";

const withRoute = (state: HostState, dst: string, via: string): HostState => ({
  ...state,
  root: { ...state.root, routes: [...state.root.routes, route(dst, { via, dev: "eth0" })] },
});

describe("markPlanChanges", () => {
  it("against empty hosts: every host changed, every pair new", async () => {
    const topology = await loadExample("lab-vxlan-direct");
    const plan = planTopology({
      desired: compileTopology(topology),
      observed: "empty",
      against: "empty",
    });
    const marks = markPlanChanges(plan, topology);
    expect([...marks.hosts]).toEqual([
      ["a-1", "changed"],
      ["a-2", "changed"],
      ["b-1", "changed"],
    ]);
    expect([...marks.pairs].sort()).toEqual([
      ["a-1 a-2", "new"],
      ["a-1 b-1", "new"],
      ["a-2 b-1", "new"],
    ]);
    expect(marks.removed).toEqual([]);
  });

  it("turning directRouting on changes the same-segment pair only, and a route to a block no host owns is removed", async () => {
    const topology = await loadExample("lab-vxlan-direct");
    const before = {
      ...topology,
      cluster: { ...topology.cluster, vxlan: { ...topology.cluster.vxlan, directRouting: false } },
    };
    const observed = observeConvergedTo(before).map((o) =>
      o.host === "b-1" ? { ...o, state: withRoute(o.state, "10.2.9.0/24", "198.51.100.99") } : o,
    );
    const plan = planTopology({
      desired: compileTopology(topology),
      observed,
      against: "snapshot",
    });
    const marks = markPlanChanges(plan, topology);
    expect([...marks.pairs]).toEqual([["a-1 a-2", "changed"]]);
    expect([...marks.hosts.keys()]).toEqual(["a-1", "a-2", "b-1"]);
    expect(marks.removed).toEqual([{ host: "b-1", block: "10.2.9.0/24" }]);
  });

  it("bgp: a changed BIRD configuration marks the host's pairs changed", async () => {
    const topology = await loadExample("lab-bgp");
    const mesh = {
      ...topology,
      cluster: { ...topology.cluster, bgp: { ...topology.cluster.bgp, reflectors: [] } },
    };
    const plan = planTopology({
      desired: compileTopology(topology),
      observed: observeConvergedTo(mesh),
      against: "snapshot",
    });
    const marks = markPlanChanges(plan, topology);
    expect(new Set(marks.pairs.values())).toEqual(new Set(["changed"]));
    expect(marks.pairs.size).toBe(6);
  });
});
