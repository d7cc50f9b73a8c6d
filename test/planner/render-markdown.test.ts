import { describe, expect, it } from "vitest";
import type { Change, HostPlan, Plan } from "../../src/planner/plan.js";
import {
  FOLD_THRESHOLD_LINES,
  GITHUB_COMMENT_LIMIT,
  renderPlanMarkdown,
} from "../../src/planner/render-markdown.js";
import { smallPlan } from "./small-plan.js";
import { route } from "./states.js";

/** A route created on a host: one change line. */
const routeCreate = (i: number): Change => ({
  kind: "route",
  action: "create",
  key: `254/10.244.${i}.0/24/0`,
  after: route(`10.244.${i}.0/24`, { via: `192.168.64.${i}`, dev: "eth0" }),
  reason: `route 10.244.${i}.0/24: missing`,
  disruptive: false,
});

const hostWith = (name: string, lines: number): HostPlan => ({
  host: name,
  observedFingerprint: "ab".repeat(32),
  errors: [],
  conflicts: [],
  changes: Array.from({ length: lines }, (_, i) => routeCreate(i % 250)),
});

/** A plan against empty hosts with `hosts` hosts of `lines` change lines each. */
const planOf = (hosts: number, lines: number): Plan => ({
  formatVersion: 1,
  topology: "demo",
  against: "empty",
  hosts: Array.from({ length: hosts }, (_, i) => hostWith(`node-${i}`, lines)),
});

describe("renderPlanMarkdown", () => {
  it("renders a summary, a caution, and per host its problems and a diff block", () => {
    expect(renderPlanMarkdown(smallPlan()))
      .toBe(`### netplan-k plan for \`demo\` (against a snapshot of the hosts)

**Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy on 1 host.**

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

  it(`folds each host's changes into <details> past ${FOLD_THRESHOLD_LINES} lines, counts in the summary`, () => {
    const open = renderPlanMarkdown(planOf(2, FOLD_THRESHOLD_LINES / 2));
    expect(open).not.toContain("<details>");
    const folded = renderPlanMarkdown(planOf(2, FOLD_THRESHOLD_LINES / 2 + 1));
    expect(folded).toContain(
      "#### node-0\n\n<details><summary>11 to add, 0 to change, 0 to destroy</summary>\n\n```diff\n+ route 10.244.0.0/24",
    );
    expect(folded.match(/<\/details>/g)).toHaveLength(2);
    expect(folded.indexOf("**Plan: 22 to add")).toBeLessThan(folded.indexOf("<details>"));
  });

  it("shows the graph after the summary, in a mermaid block", () => {
    const text = renderPlanMarkdown(planOf(1, 2), { graph: "flowchart LR\n  h0\n" });
    expect(text).toBe(`### netplan-k plan for \`demo\` (against empty hosts)

**Plan: 2 to add, 0 to change, 0 to destroy on 1 host.**

\`\`\`mermaid
flowchart LR
  h0
\`\`\`

_Paths: green new, amber changed, red removed; hosts that change in amber._

#### node-0

\`\`\`diff
+ route 10.244.0.0/24 via 192.168.64.0 dev eth0  (missing)
+ route 10.244.1.0/24 via 192.168.64.1 dev eth0  (missing)
\`\`\`
`);
  });

  it("stays within GitHub's comment limit: counts per host instead of lines, and says so", () => {
    const plan = planOf(60, 30);
    expect(renderPlanMarkdown(plan, { limit: Number.MAX_SAFE_INTEGER }).length).toBeGreaterThan(
      GITHUB_COMMENT_LIMIT,
    );
    const text = renderPlanMarkdown(plan, { graph: "flowchart LR\n  h0\n" });
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(text).toContain(
      "> The full plan is longer than GitHub's comment limit (65,536 characters): each host shows its counts instead of its changes. `netplan-k plan --full` prints every change.",
    );
    expect(text).toContain("#### node-59\n\n30 to add, 0 to change, 0 to destroy\n");
    expect(text).toContain("```mermaid");
    expect(text).not.toContain("```diff");
  });

  it("leaves the graph out, then lists only the first hosts, when even counts do not fit", () => {
    const plan = planOf(20, 30);
    const withoutGraph = renderPlanMarkdown(plan, { graph: "x".repeat(3000), limit: 2000 });
    expect(withoutGraph.length).toBeLessThanOrEqual(2000);
    expect(withoutGraph).toContain("and the graph is left out");
    expect(withoutGraph).toContain("#### node-19");
    const truncated = renderPlanMarkdown(plan, { limit: 1000 });
    expect(truncated.length).toBeLessThanOrEqual(1000);
    expect(truncated).toContain("only the first hosts are listed");
    expect(truncated).toMatch(/… and \d+ more hosts that change\.\n$/);
  });
});

describe("renderPlanMarkdown over hosts planned as they are read", () => {
  /** planOf's hosts made again at each read, as planHosts does; counts the hosts made. */
  const plannedAsRead = (hosts: number, lines: number) => {
    const reads = { passes: 0, hosts: 0 };
    const plan = {
      ...planOf(0, 0),
      hosts: {
        *[Symbol.iterator]() {
          reads.passes++;
          for (let i = 0; i < hosts; i++) {
            reads.hosts++;
            yield hostWith(`node-${i}`, lines);
          }
        },
      },
    };
    return { plan, reads };
  };

  it.each([
    [2, 3],
    [60, 30],
  ])(
    "%i hosts of %i lines: the same text as the whole plan, hosts read twice at most",
    (hosts, lines) => {
      const { plan, reads } = plannedAsRead(hosts, lines);
      expect(renderPlanMarkdown(plan)).toBe(renderPlanMarkdown(planOf(hosts, lines)));
      expect(reads.passes).toBe(2);
      // A plan too long for a comment stops its second read once past the limit.
      if (hosts === 2) expect(reads.hosts).toBe(2 * hosts);
      else expect(reads.hosts).toBeLessThan(2 * hosts);
    },
  );
});
