import { describe, expect, it } from "vitest";
import { changeCommands } from "../../src/applier/change-commands.js";
import type { HostState } from "../../src/model/index.js";
import { parsePlan } from "../../src/planner/parse-plan.js";
import type { HostPlan, Plan } from "../../src/planner/plan.js";
import { renderPlanJson } from "../../src/planner/render-json.js";
import { renderPlanText } from "../../src/planner/render-text.js";
import { summarizePlan } from "../../src/planner/summarize-plan.js";
import { desiredVxlanHost, diff, observedVxlanHost, VETH } from "./states.js";

// A new workload's namespace comes with lo (down, no alias) and its veth pair's end (down):
// setting them up is part of creating them, so the plan shows and counts them as adds
// (Change.createdWith), while apply runs the same `ip link set` as before. Before, a new
// workload read "~ [red] link eth0 (state down → up)" and "~ [red] link lo (…, alias …)":
// two changes to objects that did not exist yet.

/** The converged host without workload red: its namespace and its veth pair are missing. */
function withoutRed(): HostState {
  const observed = observedVxlanHost();
  return {
    ...observed,
    root: { ...observed.root, links: observed.root.links.filter((l) => l.name !== VETH) },
    namespaces: [],
  };
}

const hostPlan = (observed: HostState): HostPlan => ({
  host: "node-1",
  ...diff(desiredVxlanHost(), observed),
  errors: [],
  observedFingerprint: "x",
});

const planOf = (host: HostPlan): Plan => ({
  formatVersion: 1,
  topology: "demo",
  against: "hosts",
  hosts: [host],
});

const redLines = (host: HostPlan): string[] =>
  renderPlanText(planOf(host), { color: false })
    .split("\n")
    .filter((line) => line.includes("[red] link"));

describe("a new workload reads only as adds", () => {
  it("its lo and eth0 show as + lines created with the namespace and the pair", () => {
    const host = hostPlan(withoutRed());
    expect(redLines(host)).toEqual([
      `  + [red] link eth0 type veth mtu 1450 up  (created with link ${VETH})`,
      "  + [red] link lo mtu 65536 up  (created with namespace red)",
    ]);
    expect(summarizePlan({ hosts: [host] })).toMatchObject({ add: 6, change: 0, destroy: 0 });
  });

  it("apply runs the same commands: the changes are still updates, with the same objects", () => {
    const host = hostPlan(withoutRed());
    const red = host.changes.filter((c) => c.netns === "red" && c.kind === "link");
    expect(red.map((c) => [c.action, c.key, c.createdWith])).toEqual([
      ["update", "eth0", `link ${VETH}`],
      ["update", "lo", "namespace red"],
    ]);
    expect(red.flatMap((change) => changeCommands(change))).toEqual(
      red.flatMap(({ createdWith: _shown, ...change }) => changeCommands(change)),
    );
  });

  it("a saved plan keeps it", () => {
    const plan = planOf(hostPlan(withoutRed()));
    expect(parsePlan(renderPlanJson(plan), "plan.json").hosts).toEqual(plan.hosts);
  });

  it("a state or alias change on an existing workload's link still shows as ~", () => {
    const observed = observedVxlanHost();
    const namespaces = observed.namespaces.map((ns) => ({
      ...ns,
      net: {
        ...ns.net,
        links: ns.net.links.map((l) => (l.name === "eth0" ? { ...l, up: false } : l)),
      },
    }));
    const host = hostPlan({ ...observed, namespaces });
    expect(redLines(host)).toEqual(["  ~ [red] link eth0  (state down → up)"]);
    expect(summarizePlan({ hosts: [host] })).toMatchObject({ add: 0, change: 1 });
  });
});
