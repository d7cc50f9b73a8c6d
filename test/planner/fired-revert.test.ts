import { describe, expect, it } from "vitest";
import type { ArmedRevert, DesiredState, ObservedHost } from "../../src/model/index.js";
import { parsePlan } from "../../src/planner/parse-plan.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { renderPlanJson } from "../../src/planner/render-json.js";
import { renderPlanMarkdown } from "../../src/planner/render-markdown.js";
import { renderPlanText } from "../../src/planner/render-text.js";
import { hostState, net, route, TOPOLOGY } from "./states.js";

// Issue 11, point 3: a confirm-timeout revert that fired is reported by `plan` as the next
// apply reports it (describeRevertFired), in text, JSON and markdown; the record stays on the
// host (plan changes nothing) for that apply or destroy to clear.

/** The record an observation reads of a revert that fired and restored the host. */
const fired: ArmedRevert = {
  run: "3f2a91c0",
  user: "alice",
  controller: "laptop",
  pid: 4242,
  since: "2026-11-30T07:11:00.000Z",
  timeoutSeconds: 6,
  fires: 1_796_022_725,
  now: 1_796_022_800,
  firing: true,
  status: 0,
  firedAt: 1_796_022_726,
  already: 2,
};
const MESSAGE =
  "the confirm-timeout revert of run 3f2a91c0 (armed by alice@laptop) fired at 07:12:06 UTC " +
  "and restored the state before that run (every line ran or found its object already as " +
  "wanted (2))";

const planWith = (armedRevert?: ArmedRevert) => {
  const desired: DesiredState = {
    topology: TOPOLOGY,
    clusterCidr: "10.1.0.0/16",
    hosts: [
      {
        host: "node-1",
        state: hostState({ root: net({ routes: [route("10.1.2.0/24", { dev: "eth0" })] }) }),
      },
    ],
  };
  const observed: ObservedHost = {
    host: "node-1",
    state: hostState(),
    facts: { drivers: {}, iproute2: "iproute2-6.1.0", kernel: "6.18.44" },
    ...(armedRevert !== undefined && { armedRevert }),
  };
  return planTopology({ desired, observed: [observed], against: "hosts" });
};

describe("plan reports a confirm-timeout revert that fired", () => {
  it("in the host's plan, as apply says it, without a conflict: the host can be planned", () => {
    const [host] = planWith(fired).hosts;
    expect(host?.firedRevert).toBe(MESSAGE);
    expect(host?.conflicts).toEqual([]);
    expect(host?.changes).toHaveLength(1);
  });

  it("not for a host without one, nor for a revert that has not run yet", () => {
    expect(planWith().hosts[0]).not.toHaveProperty("firedRevert");
    const { status: _, firedAt: __, already: ___, ...armed } = fired;
    expect(planWith({ ...armed, firing: false }).hosts[0]).not.toHaveProperty("firedRevert");
  });

  it("as a line under its host in the text and markdown plans", () => {
    const plan = planWith(fired);
    expect(renderPlanText(plan, { color: false })).toContain(`node-1:\n  ! ${MESSAGE}\n  + `);
    expect(renderPlanMarkdown(plan)).toContain(`- ! ${MESSAGE}`);
  });

  it("in the JSON plan, after the fingerprint, and a saved plan with it reads back", () => {
    const plan = planWith(fired);
    const json = renderPlanJson(plan);
    expect(json).toMatch(/"observedFingerprint": "[0-9a-f]+",\n {6}"firedRevert": "the confirm/);
    expect(parsePlan(json, "plan.json").hosts[0]?.firedRevert).toBe(MESSAGE);
  });
});
