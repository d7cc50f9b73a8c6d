import type { Change } from "../planner/plan.js";

/**
 * A host's changes in the two phases apply runs across hosts (apply-plan-phased.ts):
 * `build` makes every new path (creates, updates, replaces, files written, BIRD started or
 * reloaded) and `removals` takes old ones away (the deletes). Each keeps the plan's order.
 * The planner already puts every delete after every other change (order-changes.ts), so this
 * is a cut at one boundary; a hand-edited saved plan that interleaves them is split the same
 * way, which only moves its deletes later: never a path removed before its successor exists.
 */
export interface PlanPhases {
  readonly build: readonly Change[];
  readonly removals: readonly Change[];
}

export function splitPlanPhases(changes: readonly Change[]): PlanPhases {
  return {
    build: changes.filter((change) => change.action !== "delete"),
    removals: changes.filter((change) => change.action === "delete"),
  };
}
