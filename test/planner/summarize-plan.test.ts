import { describe, expect, it } from "vitest";
import {
  countChanges,
  formatBlockers,
  formatSummary,
  summarizePlan,
} from "../../src/planner/summarize-plan.js";
import { smallPlan } from "./small-plan.js";

describe("summarizePlan", () => {
  it("counts each change once, a replace as one replace, and hosts with changes only", () => {
    expect(summarizePlan(smallPlan())).toEqual({
      add: 1,
      change: 1,
      replace: 1,
      destroy: 1,
      hosts: 1,
      conflicts: 1,
      errors: 1,
    });
  });

  it("counts as many changes as apply makes and reports (one per change, ± included)", () => {
    const plan = smallPlan();
    expect(plan.hosts.flatMap((h) => h.changes).some((c) => c.action === "replace")).toBe(true);
    expect(countChanges(summarizePlan(plan))).toBe(plan.hosts.flatMap((h) => h.changes).length);
  });

  it("words singular and plural counts, and replaces only when there are some", () => {
    const counts = {
      add: 1,
      change: 0,
      replace: 0,
      destroy: 0,
      hosts: 1,
      conflicts: 0,
      errors: 0,
    };
    expect(formatSummary(counts)).toBe("Plan: 1 to add, 0 to change, 0 to destroy on 1 host.");
    expect(formatSummary({ ...counts, add: 12, change: 1, destroy: 2, hosts: 3 })).toBe(
      "Plan: 12 to add, 1 to change, 2 to destroy on 3 hosts.",
    );
    expect(formatSummary({ ...counts, replace: 1, destroy: 2, hosts: 3 })).toBe(
      "Plan: 1 to add, 0 to change, 1 to replace, 2 to destroy on 3 hosts.",
    );
    expect(formatSummary({ ...counts, add: 0, hosts: 0 })).toBe(
      "No changes. Every host matches the topology.",
    );
    expect(formatBlockers(counts)).toBeUndefined();
    expect(formatBlockers({ ...counts, conflicts: 2 })).toBe(
      "This plan cannot be applied: 2 conflicts need resolving first.",
    );
    expect(formatBlockers({ ...counts, conflicts: 1 })).toBe(
      "This plan cannot be applied: 1 conflict needs resolving first.",
    );
  });
});
