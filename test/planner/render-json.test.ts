import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/planner/parse-plan.js";
import type { HostPlan } from "../../src/planner/plan.js";
import { renderPlanJson, renderPlanJsonStream } from "../../src/planner/render-json.js";
import { summarizePlan } from "../../src/planner/summarize-plan.js";
import { smallPlan } from "./small-plan.js";

describe("renderPlanJson", () => {
  it("round-trips: parsing the JSON gives the plan back, with its summary counts", () => {
    const { summary, ...plan } = JSON.parse(renderPlanJson(smallPlan())) as { summary: unknown };
    expect(plan).toStrictEqual(JSON.parse(JSON.stringify(smallPlan())));
    expect(summary).toStrictEqual(summarizePlan(smallPlan()));
  });

  it("is accepted by parsePlan with its summary", () => {
    expect(parsePlan(renderPlanJson(smallPlan()), "plan.json")).toStrictEqual(
      JSON.parse(renderPlanJson(smallPlan())),
    );
  });

  it("puts formatVersion first and is pretty, with a final newline", () => {
    const text = renderPlanJson(smallPlan());
    expect(
      text.startsWith(
        '{\n  "formatVersion": 1,\n  "topology": "demo",\n  "against": "snapshot",\n',
      ),
    ).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("is stable: the order properties were built in does not matter", () => {
    const plan = smallPlan();
    const reordered = JSON.parse(
      JSON.stringify(plan, (_, value: unknown) =>
        value !== null && typeof value === "object" && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).reverse())
          : value,
      ),
    ) as typeof plan;
    expect(Object.keys(reordered)[0]).toBe("hosts");
    expect(renderPlanJson(reordered)).toBe(renderPlanJson(plan));
  });

  it("written host by host from hosts that come one at a time, gives the same bytes", () => {
    const plan = smallPlan();
    expect(plan.hosts.length).toBeGreaterThan(1);
    function* oneAtATime(): Generator<HostPlan> {
      for (const host of plan.hosts) yield host;
    }
    const { hosts: _, ...head } = plan;
    const streamed = [...renderPlanJsonStream(head, summarizePlan(plan), oneAtATime())];
    expect(streamed.join("")).toBe(renderPlanJson(plan));
    // One piece for the head and each host: none is the whole plan.
    expect(streamed).toHaveLength(plan.hosts.length + 1);
    const none = { ...plan, hosts: [] };
    expect([...renderPlanJsonStream(head, summarizePlan(none), [])].join("")).toBe(
      renderPlanJson(none),
    );
  });
});
