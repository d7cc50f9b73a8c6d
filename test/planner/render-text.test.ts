import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/planner/plan.js";
import { renderPlanText, renderPlanTextChunks } from "../../src/planner/render-text.js";
import { smallPlan } from "./small-plan.js";

const expectedPlain = `node-a:
  ✗ conflict: route 10.244.3.0/24 exists with proto static via 10.0.0.9 and is not netplan-k's; remove it or change the topology
  ± link flannel.1 type vxlan id 1 local 192.168.64.5 dev eth0 dstport 8472 nolearning mtu 1450 address 0e:00:00:00:00:01 up  (vxlan id 2 → 1, must be recreated (disruptive))
  ~ [red] link eth0  (mtu 1500 → 1450)
  + route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink  (missing)
  - route 10.244.9.0/24 via 192.168.64.9 dev eth0  (not in the topology)  [disruptive]

node-c:
  ✗ error: the kernel of node-c has no ipip driver (ip link add type ipip: Unknown device type); mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.

No changes on node-b.

Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy on 1 host.
This plan cannot be applied: 1 conflict and 1 error need resolving first.
`;

describe("renderPlanText", () => {
  it("renders a small plan exactly, without colour", () => {
    expect(renderPlanText(smallPlan(), { color: false })).toBe(expectedPlain);
  });

  it("colours symbols, hosts, conflicts and errors only when asked, the text unchanged", () => {
    const colored = renderPlanText(smallPlan(), { color: true });
    expect(colored).toContain("\x1b[35m±\x1b[39m link flannel.1");
    expect(colored).toContain("\x1b[33m~\x1b[39m [red] link eth0");
    expect(colored).toContain("\x1b[32m+\x1b[39m route 10.244.2.0/24");
    expect(colored).toContain("\x1b[31m-\x1b[39m route 10.244.9.0/24");
    expect(colored).toContain("\x1b[1mnode-a\x1b[22m:");
    expect(colored).toContain("\x1b[31m  ✗ conflict: route 10.244.3.0/24");
    expect(colored).toContain("\x1b[31mThis plan cannot be applied");
    // eslint-disable-next-line no-control-regex
    expect(colored.replace(/\x1b\[\d+m/g, "")).toBe(expectedPlain);
    expect(renderPlanText(smallPlan(), { color: false })).not.toContain("\x1b");
  });
});

describe("renderPlanText: summary wording", () => {
  const base = smallPlan();
  const nodeA = base.hosts[0]!;
  const plan = (hosts: Plan["hosts"]): Plan => ({ ...base, hosts });

  it("says so when nothing changes", () => {
    const text = renderPlanText(plan([{ ...base.hosts[1]! }]), { color: false });
    expect(text).toBe("No changes. Every host matches the topology.\n");
  });

  it("lists the hosts without changes on one line, after those with changes", () => {
    const clean = { ...nodeA, conflicts: [] };
    const text = renderPlanText(
      plan([base.hosts[1]!, clean, { ...base.hosts[1]!, host: "node-e" }]),
      { color: false },
    );
    expect(text).not.toContain("no changes\n");
    expect(text).toContain("[disruptive]\n\nNo changes on node-b, node-e.\n\nPlan: ");
  });

  it("counts hosts with changes, plural", () => {
    const clean = { ...nodeA, conflicts: [] };
    const text = renderPlanText(plan([clean, { ...clean, host: "node-d" }, base.hosts[1]!]), {
      color: false,
    });
    expect(
      text.endsWith("\nPlan: 2 to add, 2 to change, 2 to replace, 2 to destroy on 2 hosts.\n"),
    ).toBe(true);
  });

  it("shows a plan that changes nothing but cannot be applied", () => {
    const text = renderPlanText(plan([base.hosts[2]!]), { color: false });
    expect(
      text.endsWith(
        "\nPlan: 0 to add, 0 to change, 0 to destroy on 0 hosts.\nThis plan cannot be applied: 1 error needs resolving first.\n",
      ),
    ).toBe(true);
  });
});

describe("renderPlanText: a destroy plan", () => {
  const base = smallPlan();
  const nodeA = base.hosts[0]!;
  const plan = (hosts: Plan["hosts"]): Plan => ({ ...base, hosts });

  it("tags each delete (destroy), not with the planner's reason", () => {
    const deletes = {
      ...nodeA,
      conflicts: [],
      changes: nodeA.changes.filter((c) => c.action === "delete"),
    };
    const text = renderPlanText(plan([deletes]), { color: false, purpose: "destroy" });
    expect(text).toBe(
      "node-a:\n  - route 10.244.9.0/24 via 192.168.64.9 dev eth0  (destroy)  [disruptive]\n\n" +
        "Plan: 0 to add, 0 to change, 1 to destroy on 1 host.\n",
    );
  });

  it('says "Nothing left to destroy." when every host is clean', () => {
    const text = renderPlanText(plan([base.hosts[1]!]), { color: false, purpose: "destroy" });
    expect(text).toBe("Nothing left to destroy.\n");
  });
});

describe("renderPlanText: plans of more than FULL_PLAN_CHANGE_LIMIT changes", () => {
  const base = smallPlan();
  const nodeA = base.hosts[0]!;
  // node-a's changes (one create, one update, one delete, one replace) repeated past the limit.
  const many = Array.from({ length: 251 }, () => nodeA.changes).flat();
  const big: Plan = {
    ...base,
    hosts: [{ ...nodeA, changes: many }, base.hosts[1]!, { ...base.hosts[2]!, changes: many }],
  };

  it("shows one line of counts per host, the conflicts and errors in full, and says how to see every change", () => {
    expect(renderPlanText(big, { color: false }))
      .toBe(`node-a: 251 to add, 251 to change, 251 to replace, 251 to destroy
  ✗ conflict: route 10.244.3.0/24 exists with proto static via 10.0.0.9 and is not netplan-k's; remove it or change the topology
node-c: 251 to add, 251 to change, 251 to replace, 251 to destroy
  ✗ error: the kernel of node-c has no ipip driver (ip link add type ipip: Unknown device type); mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.

No changes on node-b.

One line per host: the plan has 2008 changes. See every change with "netplan-k plan --full", or as -o json.

Plan: 502 to add, 502 to change, 502 to replace, 502 to destroy on 2 hosts.
This plan cannot be applied: 1 conflict and 1 error need resolving first.
`);
  });

  it("reads hosts planned one by one once, writing each as soon as the plan is known to be long", () => {
    let planned = 0;
    function* plannedOneByOne() {
      for (const host of big.hosts) {
        planned++;
        yield host;
      }
    }
    const chunks = renderPlanTextChunks({ hosts: plannedOneByOne() }, { color: false });
    // node-a alone has more than FULL_PLAN_CHANGE_LIMIT changes: its line goes before node-b is planned.
    expect(chunks.next().value).toContain("node-a: 251 to add");
    expect(planned).toBe(1);
    expect(`node-a: 251 to add, 251 to change, 251 to replace, 251 to destroy\n`).toBe(
      renderPlanText(big, { color: false }).split("  ✗")[0],
    );
    const rest = [...chunks].join("");
    expect(planned).toBe(3);
    expect(renderPlanText(big, { color: false })).toContain(rest);
  });

  it("lists every change with full, and at the limit itself", () => {
    const full = renderPlanText(big, { color: false, full: true });
    expect(full.split("\n").filter((line) => line.startsWith("  + route")).length).toBe(502);
    expect(full).not.toContain("One line per host");
    const atLimit: Plan = { ...base, hosts: [{ ...nodeA, changes: many.slice(0, 1000) }] };
    expect(renderPlanText(atLimit, { color: false })).not.toContain("One line per host");
  });
});
