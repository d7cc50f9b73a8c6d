import { describe, expect, it } from "vitest";
import { renderPlanMarkdown } from "../../src/planner/render-markdown.js";
import { smallPlan } from "./small-plan.js";

describe("renderPlanMarkdown", () => {
  it("renders a summary, a caution, and per host its problems and a diff block", () => {
    expect(renderPlanMarkdown(smallPlan()))
      .toBe(`### netplan-k plan for \`demo\` (against a snapshot of the hosts)

**Plan: 2 to add, 1 to change, 2 to destroy on 1 host.**

> [!CAUTION]
> This plan cannot be applied: 1 conflict and 1 error need resolving first.

#### node-a

- ✗ conflict: route 10.244.3.0/24 exists with proto static via 10.0.0.9 and is not netplan-k's; remove it or change the topology

\`\`\`diff
± link flannel.1 type vxlan id 1 local 192.168.64.5 dev eth0 dstport 8472 nolearning mtu 1450 address 0e:00:00:00:00:01 up  (vxlan id 2 → 1, must be recreated (disruptive))
~ [red] link eth0  (mtu 1500 → 1450)
+ route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink  (missing)
- route 10.244.9.0/24 via 192.168.64.9 dev eth0  (not in the topology)  [disruptive]
\`\`\`

#### node-c

- ✗ error: the kernel of node-c has no ipip driver (ip link add type ipip: Unknown device type); mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.

No changes on \`node-b\`.
`);
  });

  it("keeps a plan without changes short", () => {
    const plan = { ...smallPlan(), hosts: [smallPlan().hosts[1]!] };
    expect(renderPlanMarkdown(plan)).toBe(
      "### netplan-k plan for `demo` (against a snapshot of the hosts)\n\n**No changes. Every host matches the topology.**\n",
    );
  });
});
